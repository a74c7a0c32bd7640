from odoo import api, fields, models

from odoo.addons.aftersales_base.models.aftersales_guard_mixin import GuardExtension


class AftersalesTicket(models.Model):
    _inherit = "aftersales.ticket"

    # the documents made by their own flows: not created or moved by editing this list
    _guard_owned_fields = GuardExtension("parts_request_ids")

    parts_request_ids = fields.One2many(
        "aftersales.parts.request", "ticket_id", string="Parts Requests")
    parts_request_count = fields.Integer(
        string="Parts Request Count", compute="_compute_parts_request_count")

    def _compute_parts_request_count(self):
        counts = self.env["aftersales.parts.request"].read_group(
            [("ticket_id", "in", self.ids)], ["ticket_id"], ["ticket_id"])
        by_ticket = {c["ticket_id"][0]: c["ticket_id_count"] for c in counts}
        for ticket in self:
            ticket.parts_request_count = by_ticket.get(ticket.id, 0)

    @api.multi
    def action_request_parts(self):
        """R: P1 - open a new parts request for this service request."""
        self.ensure_one()
        return self.env["aftersales.parts.request"]._new_request_action({
            "default_ticket_id": self.id,
            "default_partner_id": self.partner_id.commercial_partner_id.id,
            "default_partner_shipping_id": (self.contact_id or self.partner_id).id,
            "default_archive_id": self.archive_id.id,
            "default_engineer_id": self.engineer_id.id,
        })

    @api.multi
    def action_view_parts_requests(self):
        self.ensure_one()
        return self.env["aftersales.parts.request"]._list_action(
            [("ticket_id", "=", self.id)], {"default_ticket_id": self.id})
