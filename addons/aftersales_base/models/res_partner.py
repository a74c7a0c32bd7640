from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    aftersales_archive_ids = fields.One2many(
        "aftersales.archive", "partner_id", string="Delivered Units")
    aftersales_archive_count = fields.Integer(
        string="Units", compute="_compute_aftersales_archive_count")

    def _compute_aftersales_archive_count(self):
        counts = self.env["aftersales.archive"].read_group(
            [("partner_id", "in", self.ids)], ["partner_id"], ["partner_id"])
        by_partner = {c["partner_id"][0]: c["partner_id_count"] for c in counts}
        for partner in self:
            partner.aftersales_archive_count = by_partner.get(partner.id, 0)

    @api.multi
    def action_view_aftersales_archives(self):
        self.ensure_one()
        action = self.env.ref("aftersales_base.aftersales_archive_action").read()[0]
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action


class ResPartnerTickets(models.Model):
    """Service requests and no-shows per customer (R: S4)."""

    _inherit = "res.partner"

    aftersales_no_show_count = fields.Integer(
        string="Service No-Shows", readonly=True, copy=False,
        help="Times the customer was not there for an agreed service appointment (R: S4).")
    aftersales_ticket_count = fields.Integer(
        string="Service Requests", compute="_compute_aftersales_ticket_count")

    def _compute_aftersales_ticket_count(self):
        commercials = self.mapped("commercial_partner_id")
        counts = self.env["aftersales.ticket"].read_group(
            [("commercial_partner_id", "in", commercials.ids)],
            ["commercial_partner_id"], ["commercial_partner_id"])
        by_partner = {c["commercial_partner_id"][0]: c["commercial_partner_id_count"]
                      for c in counts}
        for partner in self:
            partner.aftersales_ticket_count = by_partner.get(partner.commercial_partner_id.id, 0)

    @api.multi
    def action_view_aftersales_tickets(self):
        self.ensure_one()
        action = self.env.ref("aftersales_base.aftersales_ticket_action").read()[0]
        action["domain"] = [("commercial_partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action


class ResPartnerReading(models.Model):
    """The language and time zone in which a customer reads what we send (issue 15)."""

    _inherit = "res.partner"

    def _aftersales_reading_context(self):
        """{'lang', 'tz'} of this person: their own, else their company's, else those of the
        company that serves them (a Chinese maker's customers read Beijing time)."""
        partner = self[:1]
        company = partner.company_id or self.env.user.company_id
        lang = (partner.lang or partner.commercial_partner_id.lang
                or company.partner_id.lang or "en_US")
        tz = partner.tz or partner.commercial_partner_id.tz or company.partner_id.tz or "UTC"
        # a language that is not installed (any more) reads as Odoo's fallback, English
        lang = self.env["res.lang"].sudo()._lang_get(lang).code or "en_US"
        return {"lang": lang, "tz": tz}
