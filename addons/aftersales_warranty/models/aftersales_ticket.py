from odoo import api, fields, models, _
from odoo.exceptions import UserError

from odoo.addons.aftersales_base.models.aftersales_guard_mixin import GuardExtension

from .aftersales_warranty_policy import DECISIONS

HOTLINE = "aftersales_base.group_aftersales_hotline"
ENGINEER = "aftersales_base.group_aftersales_engineer"


class AftersalesTicket(models.Model):
    _name = "aftersales.ticket"
    _inherit = ["aftersales.guard.mixin", "aftersales.ticket"]

    # Workflow guard (issue 13): the coverage is the engine's (`action_decide_coverage`);
    # what it is decided from is edited while the request is open.
    _guard_owned_fields = GuardExtension(
        "coverage_decision", "coverage_reason", "coverage_warranty_id", "coverage_date")
    _guard_editable_fields = GuardExtension("exclusion_id", "is_doa", "repair_ids")

    # Coverage (R: W1-W6), decided by the hotline
    exclusion_id = fields.Many2one(
        "aftersales.warranty.exclusion", string="Out-of-Warranty Cause",
        track_visibility="onchange", help="Recorded cause that voids the warranty (R: W5).")
    is_doa = fields.Boolean(
        string="Dead on Arrival", track_visibility="onchange",
        help="Failed at unpacking inspection (开箱检查不合格, R: W4).")
    coverage_decision = fields.Selection(
        DECISIONS, string="Coverage", readonly=True, copy=False, index=True,
        track_visibility="onchange")
    coverage_reason = fields.Text(string="Coverage Reason", readonly=True, copy=False)
    coverage_warranty_id = fields.Many2one(
        "aftersales.warranty", string="Covering Contract", readonly=True, copy=False)
    coverage_date = fields.Date(string="Decided For", readonly=True, copy=False)
    # Repairs
    repair_ids = fields.One2many("mrp.repair", "ticket_id", string="Repairs")
    repair_count = fields.Integer(compute="_compute_repair_count", string="Repair Count")

    def _compute_repair_count(self):
        groups = self.env["mrp.repair"].read_group(
            [("ticket_id", "in", self.ids)], ["ticket_id"], ["ticket_id"])
        counts = {g["ticket_id"][0]: g["ticket_id_count"] for g in groups}
        for ticket in self:
            ticket.repair_count = counts.get(ticket.id, 0)

    # Actions

    @api.multi
    def action_decide_coverage(self):
        self._guard_ensure_role(HOTLINE, ENGINEER)
        for ticket in self:
            ticket._ensure_has_unit()
            ticket._write_owned(ticket._prepare_coverage_vals())
        return True

    @api.multi
    def action_create_repair(self):
        self.ensure_one()
        self._guard_ensure_role(HOTLINE, ENGINEER)
        self._ensure_has_unit()
        if not self.coverage_decision:
            self.action_decide_coverage()
        repair = self.env["mrp.repair"].create(self._prepare_repair_vals())
        action = self.env.ref("mrp_repair.action_repair_order_tree").read()[0]
        action.update(views=[(False, "form")], res_id=repair.id, view_mode="form")
        return action

    @api.multi
    def action_view_repairs(self):
        self.ensure_one()
        action = self.env.ref("mrp_repair.action_repair_order_tree").read()[0]
        action["domain"] = [("ticket_id", "=", self.id)]
        action["context"] = {"default_ticket_id": self.id}
        return action

    # Business methods

    def _ensure_has_unit(self):
        if not self.archive_id:
            raise UserError(_("Service request %(ticket)s names no unit: choose the unit "
                              "first.") % {"ticket": self.name})

    def _get_fault_date(self):
        reported = fields.Datetime.from_string(self.date_reported)
        return fields.Date.to_string(fields.Datetime.context_timestamp(self, reported).date())

    def _prepare_coverage_vals(self):
        date = self._get_fault_date()
        result = self.env["aftersales.warranty.policy"]._decide_coverage(
            self.archive_id, date, exclusion=self.exclusion_id, is_doa=self.is_doa)
        return {
            "coverage_decision": result["decision"],
            "coverage_reason": result["reason"],
            "coverage_warranty_id": result["warranty_id"],
            "coverage_date": date,
        }

    def _prepare_repair_vals(self):
        """The repair decides its coverage itself, with the engine, from this request's
        unit, date, cause and dead-on-arrival flag (R: W1-W6); no decision is copied."""
        archive = self.archive_id
        customer_location = self.env.ref("stock.stock_location_customers")
        free = self.coverage_decision != "paid"
        addresses = self.partner_id.address_get(["invoice"])
        return {
            "product_id": archive.product_id.id,
            "product_uom": archive.product_id.uom_id.id,
            "lot_id": archive.lot_id.id,
            "partner_id": self.partner_id.id,
            "partner_invoice_id": addresses["invoice"],
            "address_id": (self.contact_id or archive.contact_id or self.partner_id).id,
            "pricelist_id": self.partner_id.property_product_pricelist.id,
            # the unit stays on the customer's site
            "location_id": customer_location.id,
            "location_dest_id": customer_location.id,
            "guarantee_limit": archive.warranty_end_date,
            "invoice_method": "none" if free else "after_repair",
            "ticket_id": self.id,
            "archive_id": archive.id,
            "exclusion_id": self.exclusion_id.id,
            "company_id": self.company_id.id,
        }
