"""The access matrix (access_matrix.csv) holds, cell by cell, for every model of ours.

ORM: every model of the four addons found in the registry must have a row (a new model without
one fails here), and every cell (persona x create/read/write/unlink) is checked on a sample
record of the main company's customer A: access rights, record rules and, for read, a real read.
"""
import os

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests.common import SavepointCase

from security_world import (
    FOREIGN_MODELS, OPERATIONS, PERSONAS, build_world, expected, load_matrix, write_matrix)

OUR_ADDONS = ("aftersales_base", "aftersales_warranty", "aftersales_parts", "aftersales_survey")
# Models whose rights let everyone write, and whose guard (not the rights) refuses: their cells
# are the real operation, tried and rolled back (tier.review: see aftersales_base's tier_review;
# a visit's survey answers: aftersales_survey's survey_user_input), with these values.
REAL_OPERATION_WRITES = {
    "tier.review": {"status": "approved"},
    "survey.user_input": {"state": "done"},
    "survey.user_input_line": {"value_text": "Written around the survey pages"},
}


class _Undo(Exception):
    pass


def _really(record, user, operation):
    """Whether `user` really can do `operation` on `record` (tried, then rolled back)."""
    env = record.env
    try:
        with env.cr.savepoint():
            mine = record.sudo(user)
            if operation == "create":
                mine.create(record.copy_data()[0])
            elif operation == "write":
                mine.write(REAL_OPERATION_WRITES[record._name])
            else:
                mine.unlink()
            raise _Undo()
    except _Undo:
        return True
    except (AccessError, UserError, ValidationError):
        return False
    finally:
        env.clear()


def allowed(record, user, operation):
    """Whether `user` may do `operation` on `record` (rights, rules; a real read for read)."""
    mine = record.sudo(user)
    if not mine.check_access_rights(operation, raise_exception=False):
        return False
    if operation != "create":
        try:
            mine.check_access_rule(operation)
        except AccessError:
            return False
    if operation == "read":
        mine.invalidate_cache()
        mine.read(["id"])
    elif record._name in REAL_OPERATION_WRITES:
        return _really(record, user, operation)
    return True


class TestAccessMatrix(SavepointCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.matrix = load_matrix()
        cls.users, cls.samples, cls.extra = build_world(cls.env)

    def test_every_model_of_ours_has_a_row_and_a_sample(self):
        ours = {name for name, model in self.env.registry.models.items()
                if model._original_module in OUR_ADDONS and not model._abstract}
        # The registry must see the four addons' models, not an empty set that matches nothing.
        self.assertTrue({"aftersales.archive", "aftersales.warranty", "aftersales.parts.request",
                         "aftersales.visit"} <= ours, sorted(ours))
        ours |= set(FOREIGN_MODELS)
        self.assertEqual(sorted(ours - set(self.matrix)), [], "models missing in the matrix")
        self.assertEqual(sorted(set(self.matrix) - ours), [], "rows for no model of ours")
        self.assertEqual(sorted(ours - set(self.samples)), [], "models without a sample")
        for model, row in self.matrix.items():
            for persona, cell in row.items():
                self.assertRegex(cell, r"^[c-][r-][w-][u-]$", "%s / %s" % (model, persona))

    def test_every_cell_as_designed(self):
        self.maxDiff = None
        mismatches, checked = [], 0
        actual = {}
        for model in sorted(self.matrix):
            sample = self.samples[model]
            self.assertTrue(sample, model)
            for persona in PERSONAS:
                cell = ""
                for operation in OPERATIONS:
                    want = expected(self.matrix, model, persona, operation)
                    got = allowed(sample, self.users[persona], operation)
                    cell += operation[0] if got else "-"
                    checked += 1
                    if got != want:
                        mismatches.append("%s %s %s: %s, designed %s" % (
                            model, persona, operation, got and "allowed" or "refused",
                            want and "allowed" or "refused"))
                actual.setdefault(model, {})[persona] = cell
        if os.environ.get("AFTERSALES_MATRIX_ACTUAL"):
            # e.g. after merging branches that changed rights: the matrix as it really is,
            # to compare with (not to copy over) the designed one
            write_matrix(os.environ["AFTERSALES_MATRIX_ACTUAL"], actual)
        self.assertEqual(checked, len(self.matrix) * len(PERSONAS) * len(OPERATIONS))
        self.assertGreaterEqual(len(self.matrix), 29)
        self.assertEqual(mismatches, [])

    def test_other_company_user_finds_nothing_of_the_first_company(self):
        """Searching (not only opening by id) hides the main company's records."""
        other = self.users["other_company"]
        for model, sample in sorted(self.samples.items()):
            if self.env[model].is_transient() or expected(
                    self.matrix, model, "other_company", "read"):
                continue
            found = self.env[model].sudo(other).search([("id", "=", sample.id)])
            self.assertFalse(found, model)

    def test_portal_b_finds_nothing_of_customer_a(self):
        portal_b = self.users["portal_b"]
        for model in ("aftersales.archive", "aftersales.ticket", "aftersales.service.record",
                      "aftersales.service.record.change", "aftersales.visit",
                      "aftersales.warranty"):
            found = self.env[model].sudo(portal_b).search([])
            self.assertNotIn(self.samples[model], found, model)
            self.assertFalse(found.filtered(
                lambda r: "partner_id" in r._fields and
                r.sudo().partner_id.commercial_partner_id == self.extra["customer_a"]), model)

    def test_wizards_do_not_lend_rights(self):
        """Anyone may create a wizard row (Odoo 11), but its action acts with the user's
        own rights: a portal user cannot dispatch, reschedule or cancel through them."""
        ticket = self.samples["aftersales.ticket"]
        portal = self.users["portal_a"]
        calls = (
            ("triage", "aftersales.ticket.dispatch", {
                "ticket_id": ticket.id, "site_address": "x", "contact_id":
                self.extra["contact_a"].id, "contact_phone": "1", "engineer_id":
                self.users["user"].id, "appointment_date": "2026-12-01 01:00:00"}),
            ("dispatched", "aftersales.ticket.no_show", {
                "ticket_id": ticket.id, "appointment_date": "2026-12-01 01:00:00"}),
            ("new", "aftersales.ticket.cancel", {
                "ticket_ids": [(6, 0, ticket.ids)], "reason": "x"}),
        )
        for state, model, vals in calls:
            # as the dispatch leaves it: an appointment and an arrival deadline (set up as the
            # owning steps would write them: the guard refuses a plain write, issue 13)
            ticket._write_owned({"state": state, "appointment_date": "2026-11-30 01:00:00",
                          "arrival_deadline": "2026-11-30 01:00:00"})
            wizard = self.env[model].sudo(portal).create(vals)
            with self.assertRaises(AccessError, msg=model):
                wizard.action_confirm()
            ticket.invalidate_cache()
            self.assertEqual(ticket.state, state, model)
