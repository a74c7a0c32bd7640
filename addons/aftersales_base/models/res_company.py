from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    # R: A6 - an archive must be complete within 2 working days of delivery.
    aftersales_archive_deadline_days = fields.Integer(
        string="Archive completeness deadline (working days)",
        default=2,
    )

    # Service requests (R: S1, S2, S3, S4): promised hours per priority and the hotline greeting.
    aftersales_answer_hours_0 = fields.Float(string="Answer within (h), low priority", default=48.0)
    aftersales_answer_hours_1 = fields.Float(string="Answer within (h), normal priority", default=24.0)
    aftersales_answer_hours_2 = fields.Float(string="Answer within (h), high priority", default=8.0)
    aftersales_answer_hours_3 = fields.Float(string="Answer within (h), urgent", default=2.0)
    aftersales_arrival_hours_0 = fields.Float(string="Arrive within (h), low priority", default=120.0)
    aftersales_arrival_hours_1 = fields.Float(string="Arrive within (h), normal priority", default=72.0)
    aftersales_arrival_hours_2 = fields.Float(string="Arrive within (h), high priority", default=48.0)
    aftersales_arrival_hours_3 = fields.Float(string="Arrive within (h), urgent", default=24.0)
    aftersales_hotline_greeting = fields.Text(
        string="Hotline Greeting", translate=True,
        help="What the hotline says on picking up, per language. Empty: the standard greeting "
             "of the time of day (good morning / afternoon / evening, after-sales service "
             "hotline, how may I help you?).")

    # R: K7 - the usual cost of one service; each record's budget starts from it (0: no budget).
    aftersales_service_cost_budget = fields.Monetary(
        string="Budget per Service", currency_field="currency_id", default=1000.0)

    # Issue 14: a link that lets a customer sign without logging in dies after this many days.
    aftersales_signing_link_days = fields.Integer(
        string="Signing links valid (days)", default=30,
        help="Days a service record's signing link works; it also stops once signed.")

    def _aftersales_promised_hours(self, kind, priority):
        """Hours promised for `kind` ('answer' or 'arrival') at `priority` ('0'-'3')."""
        self.ensure_one()
        return self["aftersales_%s_hours_%s" % (kind, priority or "1")]

    def _aftersales_adopt_currency(self, currency_id):
        """Work in `currency_id` from now on, for the companies that booked nothing yet: Odoo
        refuses to change the currency of a company with journal items (the demo's Chinese
        maker works in yuan unless Odoo's accounting demo came first)."""
        booked = {group["company_id"][0] for group in self.env["account.move.line"].sudo()
                  .read_group([("company_id", "in", self.ids)], ["company_id"], ["company_id"])}
        fresh = self.filtered(lambda company: company.id not in booked)
        fresh.write({"currency_id": currency_id})
        return bool(fresh)
