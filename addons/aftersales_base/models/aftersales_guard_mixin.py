from contextlib import contextmanager

from odoo import SUPERUSER_ID, api, models, _
from odoo.exceptions import AccessError, UserError, ValidationError

# Fields that Odoo's own mixins keep up to date on every document (chatter, activities,
# followers, archiving): never a workflow rule, so never locked.
INFRASTRUCTURE_PREFIXES = ("message_", "activity_", "website_message")
INFRASTRUCTURE_FIELDS = frozenset(["active", "display_name", "__last_update"])
# Sane bounds of what people enter (issues 13, 14): a date in a machine's life, an amount or a
# quantity a business can have, an id or a count PostgreSQL can store.
DATE_MIN, DATE_MAX = "1970-01-01", "2099-12-31"
MAX_AMOUNT = 1e12
MAX_INTEGER = 2 ** 31 - 1


@contextmanager
def cursor_flag(cr, name):
    """Raise flag `name` on the database cursor for the duration of a server-side call.

    A flag on the cursor cannot come from a client (unlike a context key): the suite's owning
    methods raise one around the writes they own; nested calls count up and down.
    """
    attribute = "_aftersales_flag_" + name
    setattr(cr, attribute, getattr(cr, attribute, 0) + 1)
    try:
        yield
    finally:
        setattr(cr, attribute, getattr(cr, attribute) - 1)


def cursor_flag_is_set(cr, name):
    return bool(getattr(cr, "_aftersales_flag_" + name, 0))


class GuardExtension:
    """Names that an addon adds to a `_guard_*` declaration of a model it extends (issue 13).

    `aftersales.guard.mixin` reads its declarations as class attributes; a plain tuple in an
    extension would replace the declaration of the addon that defines the model. Declared in
    the extension's class body, this one reads the declaration that comes next in the model's
    classes (the defining addon's, or the mixin's empty one) and adds its own names:

        _guard_owned_fields = GuardExtension("coverage_decision", "coverage_reason")
    """

    def __init__(self, *names):
        self.names = names

    def __set_name__(self, owner, name):
        self.owner = owner
        self.name = name

    def __get__(self, record, cls):
        inherited = tuple(getattr(super(self.owner, cls), self.name, ()))
        return inherited + tuple(name for name in self.names if name not in inherited)


class AftersalesGuardMixin(models.AbstractModel):
    """The one guard of the suite's documents: rules held by the model, not the view.

    Odoo 11 does not enforce a view's `readonly` on `write`, so a JSON-RPC client, an import or a
    server action could move a state or rewrite a decision past the method that owns it. A model
    that inherits this mixin declares:

    - `_guard_owned_fields`: fields only their owning methods write (state, decisions,
      approvals, signatures, dates that feed KPIs). A `write` or `create` that names one is
      refused, unless the owning method opened the allowance around its own call with
      `_write_owned` / `_create_owned`.
    - `_guard_editable_fields`: fields users edit while the document is open.
    - `_guard_free_fields`: fields users may still change in a locked state (notes).
    - `_guard_locked_states` / `_guard_open_states`: every state is one or the other; in a
      locked state only the free fields change.

    The allowance lives on the database cursor of the server call, never in the context: a
    client can send any context key, but it cannot reach the cursor.
    A field or state declared nowhere fails `tests/security/test_guard_declarations.py`.
    """

    _name = "aftersales.guard.mixin"
    _description = "After-Sales Workflow Guard"

    _guard_state_field = "state"
    _guard_owned_fields = ()
    _guard_editable_fields = ()
    _guard_free_fields = ()
    _guard_open_states = ()
    _guard_locked_states = ()
    # fields that only some roles write, e.g. {"root_cause": ("aftersales_base.group_..",)}
    _guard_field_roles = {}

    # The allowance -------------------------------------------------------------------------

    @contextmanager
    def _guard_allow(self, field_names):
        """Let the calling (owning) method write `field_names` of this model, for this call."""
        allowed = self._guard_allowance()
        keys = [(self._name, name) for name in field_names]
        for key in keys:
            allowed[key] = allowed.get(key, 0) + 1
        try:
            yield
        finally:
            for key in keys:
                allowed[key] -= 1
                if not allowed[key]:
                    del allowed[key]

    def _guard_allowance(self):
        cr = self.env.cr
        allowed = getattr(cr, "_aftersales_guard_allowance", None)
        if allowed is None:
            allowed = {}
            cr._aftersales_guard_allowance = allowed
        return allowed

    def _guard_allowed(self, field_name):
        return bool(self._guard_allowance().get((self._name, field_name)))

    @api.multi
    def _write_owned(self, vals):
        """`write` from the method that owns the fields of `vals`."""
        with self._guard_allow(list(vals)):
            return self.write(vals)

    @api.model
    def _create_owned(self, vals):
        """`create` from the method that owns the fields of `vals`."""
        with self._guard_allow(list(vals)):
            return self.create(vals)

    # Declarations --------------------------------------------------------------------------

    @api.model
    def _guard_is_infrastructure(self, name):
        return name in INFRASTRUCTURE_FIELDS or name.startswith(INFRASTRUCTURE_PREFIXES) or \
            name in models.MAGIC_COLUMNS

    @api.model
    def _guard_writable_in(self, state):
        """The fields a user may write (without an allowance) in `state`."""
        free = set(self._guard_free_fields)
        if state in self._guard_locked_states:
            return free
        return free | set(self._guard_editable_fields)

    # Roles ---------------------------------------------------------------------------------

    @api.model
    def _guard_ensure_role(self, *group_xmlids):
        """The current user holds one of the role groups that own the step (issue 13)."""
        user = self.env.user
        if any(user.has_group(xmlid) for xmlid in group_xmlids):
            return
        names = ", ".join(self.env.ref(xmlid).full_name for xmlid in group_xmlids)
        raise AccessError(_("%(user)s may not do this on a %(document)s: it belongs to %(roles)s.")
                          % {"user": user.name, "document": self._description, "roles": names})

    @api.model
    def _guard_check_field_roles(self, vals):
        """Fields that one role fills (`_guard_field_roles`: field -> group xml ids)."""
        for name, groups in self._guard_field_roles.items():
            if name in vals and not self._guard_allowed(name):
                self._guard_ensure_role(*groups)

    # The checks ----------------------------------------------------------------------------

    @api.model
    def _guard_refused_owned(self, vals):
        return [name for name in vals
                if name in self._guard_owned_fields and not self._guard_allowed(name)]

    @api.model
    def _guard_raise(self, names, record=None, state=None):
        labels = ", ".join(sorted(self._fields[n].get_description(self.env)["string"]
                                  for n in names if n in self._fields) or names)
        if state:
            states = dict(self._fields[self._guard_state_field]._description_selection(
                self.env))
            raise UserError(_(
                "%(document)s %(name)s is %(state)s: %(fields)s can no longer be changed.") % {
                "document": self._description, "name": record.display_name,
                "state": states.get(state, state), "fields": labels})
        raise UserError(_(
            "%(fields)s of a %(document)s change only through its own actions (buttons), "
            "not by editing.") % {"fields": labels, "document": self._description})

    @api.model
    def _guard_code_default(self, name):
        """The value the field is born with by the code, not by a context key or a user's
        saved default (both of which a client can set)."""
        field = self._fields[name]
        if field.default is None:
            return False
        # cache -> record -> write: a many2one default (a company) is a record, not its cache
        value = field.convert_to_record(field.convert_to_cache(field.default(self), self), self)
        return field.convert_to_write(value, self)

    @api.model
    def _guard_prepare_create(self, vals):
        """Refuse owned fields a client names; fill the others with the code's default."""
        vals = dict(vals)
        refused = []
        for name in self._guard_owned_fields:
            if self._guard_allowed(name):
                continue
            default = self._guard_code_default(name)
            if name in vals:
                if vals[name] not in (False, None) and vals[name] != default:
                    refused.append(name)
            elif name in self._fields and self._fields[name].store:
                vals[name] = default
        if refused:
            self._guard_raise(refused)
        return vals

    @api.multi
    def _guard_check_write(self, vals):
        refused = self._guard_refused_owned(vals)
        if refused:
            self._guard_raise(refused)
        unlocked = {name for name in vals
                    if self._guard_allowed(name) or self._guard_is_infrastructure(name)}
        rest = set(vals) - unlocked
        if not rest or not self._guard_locked_states:
            return
        state_field = self._guard_state_field
        for record in self:
            state = record[state_field]
            if state in self._guard_locked_states:
                locked = rest - self._guard_writable_in(state)
                if locked:
                    self._guard_raise(locked, record=record, state=state)

    @api.model
    def _guard_check_values(self, vals):
        """Refuse what no business means and what the database would reject with a server
        error: a NUL character, a date outside DATE_MIN..DATE_MAX, an amount beyond
        MAX_AMOUNT, an id or a count beyond PostgreSQL's integers."""
        for name, value in vals.items():
            field = self._fields.get(name)
            if field is None or value is None or isinstance(value, bool):
                continue
            problem = None
            if isinstance(value, str) and "\x00" in value:
                problem = _("it contains a NUL character")
            elif field.type in ("date", "datetime") and value and \
                    not DATE_MIN <= str(value)[:10] <= DATE_MAX:
                problem = _("%(value)s is not between %(min)s and %(max)s") % {
                    "value": str(value)[:10], "min": DATE_MIN, "max": DATE_MAX}
            elif field.type in ("float", "monetary") and isinstance(value, (int, float)) \
                    and abs(value) > MAX_AMOUNT:
                problem = _("%(value)s is beyond any real amount or quantity") % {
                    "value": value}
            elif field.type in ("integer", "many2one") and isinstance(value, int) \
                    and abs(value) > MAX_INTEGER:
                problem = _("%(value)s is too large") % {"value": value}
            if problem:
                raise ValidationError(_("%(field)s of a %(document)s: %(problem)s.") % {
                    "field": field.string, "document": self._description, "problem": problem})

    @api.model
    def create(self, vals):
        vals = self._guard_prepare_create(vals)
        self._guard_check_values(vals)
        self._guard_check_field_roles(self._guard_role_values_of_create(vals))
        return super().create(vals)

    @api.model
    def _guard_role_values_of_create(self, vals):
        """The role fields a `create` really fills: not empty, not the code's default (the
        form sends the defaults back, e.g. a budget every new record is born with; a context
        default is the client's, so it counts as filled)."""
        return {name: vals[name] for name in self._guard_field_roles
                if vals.get(name) and vals[name] != self._guard_code_default(name)}

    @api.multi
    def write(self, vals):
        self._guard_check_write(vals)
        self._guard_check_values(vals)
        self._guard_check_field_roles(vals)
        return super().write(vals)

    # Fields of restricted groups ---------------------------------------------------------

    @api.model
    def _search(self, args, offset=0, limit=None, order=None, count=False,
                access_rights_uid=None):
        self._guard_check_restricted_fields(args, order)
        return super()._search(args, offset=offset, limit=limit, order=order, count=count,
                               access_rights_uid=access_rights_uid)

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False,
                   lazy=True):
        groupby_names = [groupby] if isinstance(groupby, str) else list(groupby or [])
        self._guard_check_restricted_fields(
            list(domain or []) + [(name.split(":")[0], "!=", None) for name in groupby_names],
            orderby)
        return super().read_group(domain, fields, groupby, offset=offset, limit=limit,
                                  orderby=orderby, lazy=lazy)

    @api.model
    def _guard_check_restricted_fields(self, domain, order=None):
        """Odoo 11 hides a field of restricted `groups` from `read`, not from a search, a sort
        or a grouping: a portal user could find a cost or a token by halving ranges. Refused
        to portal and public users who lack the field's groups (issue 14); employees keep
        Odoo's behaviour."""
        if self.env.uid == SUPERUSER_ID or not self.env.user.share:
            return
        names = {leaf[0].split(".")[0] for leaf in domain or ()
                 if isinstance(leaf, (list, tuple)) and len(leaf) == 3
                 and isinstance(leaf[0], str)}
        names |= {part.split()[0].strip('"') for part in (order or "").split(",")
                  if part.strip()}
        for name in sorted(names):
            field = self._fields.get(name)
            if field is not None and field.groups and not self.user_has_groups(field.groups):
                raise AccessError(_("%(field)s of a %(document)s is not yours to search, sort "
                                    "or group by.") % {"field": field.string,
                                                       "document": self._description})

    def _portal_ensure_token(self):
        # portal.mixin writes the access token itself: that write is its own, not a user's
        with self._guard_allow(["access_token"]):
            return super()._portal_ensure_token()
