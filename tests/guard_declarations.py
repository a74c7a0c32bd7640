"""What the guarded models declare (issue 13), read from the registry: shared by the ORM test of
the declarations and by the JSON-RPC cheat suite that is generated from them.

A guarded model is every non-abstract model that inherits `aftersales.guard.mixin`; its rules
are its `_guard_*` attributes (see addons/aftersales_base/models/aftersales_guard_mixin.py).
"""

GUARD_MIXIN = "aftersales.guard.mixin"
TIER_MIXIN = "aftersales.tier.validation"

# The documents of the suite that issue 13 puts under the guard: one dropping the mixin fails.
GUARDED_DOCUMENTS = (
    "aftersales.ticket", "aftersales.service.record", "aftersales.archive",
    "aftersales.repair.notice", "mrp.repair", "aftersales.parts.request",
    "aftersales.training", "aftersales.visit",
)
# The documents approved through tier validation (R: S10-S13, P1).
TIER_DOCUMENTS = ("aftersales.repair.notice", "mrp.repair", "aftersales.parts.request")

# The roles of issue 13 (group xml ids), and the portal customer.
ROLE_GROUPS = {
    "hotline": ("aftersales_base.group_aftersales_hotline",),
    "engineer": ("aftersales_base.group_aftersales_engineer",),
    "parts_clerk": ("aftersales_base.group_aftersales_parts_clerk",),
    "quality": ("aftersales_base.group_aftersales_quality",),
    "manager": ("aftersales_base.group_aftersales_manager",),
    "general_manager": ("aftersales_warranty.group_aftersales_general_manager",),
}
PORTAL_GROUPS = ("base.group_portal",)


def _class(registry, name):
    return registry[name] if name in registry else None


def guarded_models(env):
    """Names of the registry's models that inherit the guard mixin, sorted."""
    mixin = _class(env.registry, GUARD_MIXIN)
    if mixin is None:
        return []
    return sorted(name for name, cls in env.registry.items()
                  if cls is not mixin and not cls._abstract and issubclass(cls, mixin))


def tier_models(env):
    mixin = _class(env.registry, TIER_MIXIN)
    if mixin is None:
        return []
    return sorted(name for name, cls in env.registry.items()
                  if cls is not mixin and not cls._abstract and issubclass(cls, mixin))


def is_infrastructure(model, name):
    checker = getattr(model, "_guard_is_infrastructure", None) or \
        model.env[GUARD_MIXIN]._guard_is_infrastructure
    return checker(name)


def declared_fields(model):
    """The fields a declaration must cover: stored, neither computed nor related, not
    infrastructure (chatter, activities, followers, `active`, magic columns)."""
    return sorted(name for name, field in model._fields.items()
                  if field.store and not field.compute and not field.related
                  and not is_infrastructure(model, name))


def state_values(model):
    field = model._fields.get(model._guard_state_field)
    if field is None or field.type != "selection":
        return None
    return [value for value, _label in field._description_selection(model.env)]


def declaration_problems(model):
    """Every way `model`'s declaration is incomplete or wrong, as sentences (empty: sound)."""
    problems = []
    name = model._name
    owned = list(model._guard_owned_fields)
    editable = list(model._guard_editable_fields)
    free = list(model._guard_free_fields)
    kinds = (("owned", owned), ("editable", editable), ("free", free))
    for kind, names in kinds:
        for field_name in sorted(set(n for n in names if names.count(n) > 1)):
            problems.append("%s: %s is declared twice in _guard_%s_fields"
                            % (name, field_name, kind))
        for field_name in names:
            if field_name not in model._fields:
                problems.append("%s: _guard_%s_fields names %s, which is no field"
                                % (name, kind, field_name))
    for field_name in declared_fields(model):
        where = [kind for kind, names in kinds if field_name in names]
        if len(where) != 1:
            problems.append("%s: field %s is in %s of owned / editable / free (exactly one)"
                            % (name, field_name, " and ".join(where) or "none"))
    for field_name in owned:
        field = model._fields.get(field_name)
        if field is not None and field.copy:
            problems.append("%s: owned field %s must be copy=False (a duplicate would carry "
                            "a decision nobody took)" % (name, field_name))
    # States
    values = state_values(model)
    state_field = model._guard_state_field
    open_states = list(model._guard_open_states)
    locked_states = list(model._guard_locked_states)
    if values is None:
        if open_states or locked_states:
            problems.append("%s: _guard_state_field %s is no selection field, yet states are "
                            "declared" % (name, state_field))
    else:
        field = model._fields[state_field]
        # a line's state is its document's (related): it moves with the document
        if state_field not in owned and not field.related:
            problems.append("%s: the state field %s must be owned (it moves through the "
                            "actions only)" % (name, state_field))
        for value in values:
            where = [kind for kind, states in (("open", open_states),
                                               ("locked", locked_states)) if value in states]
            if len(where) != 1:
                problems.append("%s: state %s is in %s of _guard_open_states / "
                                "_guard_locked_states (exactly one)"
                                % (name, value, " and ".join(where) or "none"))
        for value in open_states + locked_states:
            if value not in values:
                problems.append("%s: declared state %s is no value of %s"
                                % (name, value, state_field))
    # Roles per field
    for field_name, groups in (model._guard_field_roles or {}).items():
        if field_name not in model._fields:
            problems.append("%s: _guard_field_roles names %s, which is no field"
                            % (name, field_name))
        if isinstance(groups, str) or not groups:
            problems.append("%s: _guard_field_roles[%s] must be a tuple of group xml ids"
                            % (name, field_name))
            continue
        for xmlid in groups:
            if not model.env.ref(xmlid, raise_if_not_found=False):
                problems.append("%s: _guard_field_roles[%s] names group %s, which does not "
                                "exist" % (name, field_name, xmlid))
    return problems
