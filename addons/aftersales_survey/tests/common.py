from datetime import date

from odoo import fields

from odoo.addons.aftersales_base.tests.common import AftersalesCase


class VisitCase(AftersalesCase):
    """Units created directly (no stock flow), the shipped rules applying from 2025."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Visit = cls.env["aftersales.visit"]
        cls.rules = cls.env["aftersales.visit.rule"].search([])
        cls.rules.write({"date_start": "2025-01-01"})
        cls.rule_new = cls.env.ref("aftersales_survey.visit_rule_new_unit")
        cls.rule_maintenance = cls.env.ref("aftersales_survey.visit_rule_maintenance")
        cls.rule_key = cls.env.ref("aftersales_survey.visit_rule_key_customer")
        cls.rule_repair = cls.env.ref("aftersales_survey.visit_rule_after_repair")
        cls.rule_inspection = cls.env.ref("aftersales_survey.visit_rule_inspection")
        cls.rule_campaign = cls.env.ref("aftersales_survey.visit_rule_campaign")
        cls.feedback_survey = cls.env.ref("aftersales_survey.survey_usage_feedback")
        cls.customer.email = "service@acme.example.com"
        cls.serial_count = 0
        # the roles of visits and trainings (issue 13): the hotline and the engineers visit,
        # the engineer trains, the manager cancels visits and reopens trainings
        cls.hotline = cls._create_user("visit_hotline", "aftersales_base.group_aftersales_hotline")
        cls.engineer = cls._create_user("visit_engineer",
                                        "aftersales_base.group_aftersales_engineer")

    @classmethod
    def _create_unit(cls, delivery_date, partner=None, product=None):
        cls.serial_count += 1
        product = product or cls.product
        lot = cls.env["stock.production.lot"].create({
            "name": "SN-V-%03d" % cls.serial_count, "product_id": product.id})
        partner = partner or cls.customer
        return cls.env["aftersales.archive"].create({
            "product_id": product.id, "lot_id": lot.id, "partner_id": partner.id,
            "contact_id": partner.child_ids[:1].id, "delivery_date": delivery_date})

    def _answer(self, visit, scores=(), suggestions=False, user=None):
        """The visitor records what the customer answered, which closes the visit (R: V5)."""
        vals = dict(zip(["score_structure", "score_appearance", "score_delivery", "score_price",
                         "score_service"], scores), suggestions=suggestions, visit_id=visit.id)
        wizard = self.env["aftersales.visit.answer"].sudo(user or self.hotline).create(vals)
        wizard.action_confirm()
        visit.invalidate_cache()
        return visit

    def _plan(self, day):
        return self.Visit._cron_plan_visits(today=fields.Date.from_string(day))

    def _visits(self, rule):
        return self.Visit.search([("rule_id", "=", rule.id)], order="planned_date, id")

    @staticmethod
    def _d(text):
        return date(*map(int, text.split("-")))
