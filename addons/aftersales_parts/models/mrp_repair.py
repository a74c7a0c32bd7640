from odoo import api, fields, models

from odoo.addons.aftersales_base.models.aftersales_guard_mixin import GuardExtension


class MrpRepair(models.Model):
    _inherit = "mrp.repair"

    # the documents made by their own flows: not created or moved by editing this list
    _guard_owned_fields = GuardExtension("parts_request_ids")

    parts_request_ids = fields.One2many(
        "aftersales.parts.request", "repair_id", string="Parts Requests")
    parts_request_count = fields.Integer(
        string="Parts Request Count", compute="_compute_parts_request_count")

    def _compute_parts_request_count(self):
        counts = self.env["aftersales.parts.request"].read_group(
            [("repair_id", "in", self.ids)], ["repair_id"], ["repair_id"])
        by_repair = {c["repair_id"][0]: c["repair_id_count"] for c in counts}
        for repair in self:
            repair.parts_request_count = by_repair.get(repair.id, 0)

    @api.multi
    def action_request_parts(self):
        """R: P1 - open a new parts request for this repair order (unit from the warranty
        addon's archive link, else the ticket's)."""
        self.ensure_one()
        archive = self.archive_id or self.ticket_id.archive_id
        partner = archive.partner_id or self.partner_id
        return self.env["aftersales.parts.request"]._new_request_action({
            "default_repair_id": self.id,
            "default_ticket_id": self.ticket_id.id,
            "default_archive_id": archive.id,
            "default_partner_id": partner.commercial_partner_id.id,
            "default_partner_shipping_id": (archive.contact_id or self.address_id or partner).id,
            "default_engineer_id": self.ticket_id.engineer_id.id,
        })

    @api.multi
    def action_view_parts_requests(self):
        self.ensure_one()
        return self.env["aftersales.parts.request"]._list_action(
            [("repair_id", "=", self.id)], {"default_repair_id": self.id})
