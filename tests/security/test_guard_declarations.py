"""Every guarded model declares every field and every state (issue 13), read from the registry.

For each model that inherits `aftersales.guard.mixin`: every stored field that is neither
computed nor related (infrastructure aside: chatter, activities, `active`, magic columns) is in
exactly one of `_guard_owned_fields` / `_guard_editable_fields` / `_guard_free_fields`; every
value of its state field is in exactly one of `_guard_open_states` / `_guard_locked_states`;
owned fields are copy=False; every declared name exists. A field or a state added to a model
without a declaration fails here, and the JSON-RPC cheat suite (test_cheats_rpc.py) then
covers it without new code.
"""
from odoo.tests.common import TransactionCase

from guard_declarations import (
    GUARD_MIXIN, GUARDED_DOCUMENTS, TIER_DOCUMENTS, TIER_MIXIN, declaration_problems,
    declared_fields, guarded_models, tier_models)


class _Declared:
    """A real model's fields under a declaration written by the test (to test the checker)."""

    def __init__(self, model, **declaration):
        self._model = model
        self._name = model._name
        self._fields = model._fields
        self.env = model.env
        mixin = model.env[GUARD_MIXIN]
        self._guard_is_infrastructure = mixin._guard_is_infrastructure
        self._guard_state_field = "state"
        self._guard_field_roles = {}
        for key in ("owned", "editable", "free"):
            setattr(self, "_guard_%s_fields" % key, ())
        self._guard_open_states = self._guard_locked_states = ()
        for key, value in declaration.items():
            setattr(self, "_guard_%s" % key, value)


class TestGuardDeclarations(TransactionCase):

    def test_every_document_of_the_issue_is_guarded(self):
        guarded = guarded_models(self.env)
        self.assertEqual(sorted(set(GUARDED_DOCUMENTS) - set(guarded)), [],
                         "documents of issue 13 without the guard mixin")
        self.assertEqual(sorted(set(TIER_DOCUMENTS) - set(tier_models(self.env))), [],
                         "documents of issue 13 not approved through tier validation")

    def test_declarations_cover_every_field_and_state(self):
        self.maxDiff = None
        problems = []
        for name in guarded_models(self.env):
            problems += declaration_problems(self.env[name])
        self.assertEqual(problems, [])

    def test_the_mixin_comes_first(self):
        """The guard checks a write before OCA's tier validation (which may move a state by
        itself) and before the chatter writes anything: it is first in `_inherit`."""
        registry = self.env.registry
        mixin = registry[GUARD_MIXIN]
        late = []
        for name in guarded_models(self.env):
            mro = type(self.env[name]).__mro__
            for other in ("tier.validation", "mail.thread", "portal.mixin"):
                if other in registry and registry[other] in mro \
                        and mro.index(registry[other]) < mro.index(mixin):
                    late.append((name, other))
        self.assertEqual(late, [])

    # The checker itself, on a real model's fields (it must fail what it is meant to fail)

    def _notice(self, **declaration):
        model = self.env["aftersales.repair.notice"]
        fields = declared_fields(model)
        owned = ("state", "approved_date", "sent_date", "name")  # all copy=False
        base = dict(
            owned_fields=tuple(f for f in fields if f in owned),
            editable_fields=tuple(f for f in fields if f not in owned + ("department",)),
            free_fields=("department",),
            open_states=("draft", "to_approve"),
            locked_states=("approved", "sent", "cancel"))
        base.update(declaration)
        return _Declared(model, **base)

    def test_checker_accepts_a_complete_declaration(self):
        self.assertEqual(declaration_problems(self._notice()), [])

    def test_checker_fails_an_undeclared_field(self):
        notice = self._notice(free_fields=())
        self.assertEqual(declaration_problems(notice), [
            "aftersales.repair.notice: field department is in none of owned / editable / free "
            "(exactly one)"])

    def test_checker_fails_a_field_declared_twice(self):
        notice = self._notice(free_fields=("department", "request"))
        self.assertEqual(len(declaration_problems(notice)), 1)
        self.assertIn("request is in editable and free", declaration_problems(notice)[0])

    def test_checker_fails_an_undeclared_state(self):
        notice = self._notice(locked_states=("approved", "sent"))
        self.assertEqual(declaration_problems(notice), [
            "aftersales.repair.notice: state cancel is in none of _guard_open_states / "
            "_guard_locked_states (exactly one)"])

    def test_checker_fails_copied_owned_fields_and_unknown_names(self):
        notice = self._notice(
            owned_fields=self._notice()._guard_owned_fields + ("no_such_field",),
            open_states=("draft", "to_approve", "no_such_state"),
            field_roles={"request": "aftersales_base.group_aftersales_quality",
                         "department": ("aftersales_base.no_such_group",)})
        # `request` copies (Text, copy=True): make it owned to see the copy rule
        notice._guard_owned_fields += ("request",)
        notice._guard_editable_fields = tuple(
            f for f in notice._guard_editable_fields if f != "request")
        problems = declaration_problems(notice)
        self.assertEqual(len(problems), 5, problems)
        for text in ("names no_such_field, which is no field",
                     "owned field request must be copy=False",
                     "declared state no_such_state is no value of state",
                     "_guard_field_roles[request] must be a tuple",
                     "names group aftersales_base.no_such_group"):
            self.assertTrue(any(text in p for p in problems), (text, problems))

    def test_checker_wants_the_state_owned(self):
        notice = self._notice()
        notice._guard_owned_fields = tuple(f for f in notice._guard_owned_fields if f != "state")
        notice._guard_editable_fields += ("state",)
        self.assertEqual(declaration_problems(notice), [
            "aftersales.repair.notice: the state field state must be owned (it moves through "
            "the actions only)"])

    def test_tier_mixin_is_the_lead_one(self):
        self.assertIn(TIER_MIXIN, self.env.registry)
