from collections import defaultdict

from odoo import api, fields, models, _
from odoo.exceptions import AccessError, UserError

REQUEST_STATES = [
    ("draft", "Draft"),
    ("to_approve", "To Approve"),
    ("approved", "Approved"),
    ("done", "Issued"),
    ("cancel", "Cancelled"),
]
MANAGER_GROUP = "aftersales_base.group_aftersales_manager"


class AftersalesPartsRequest(models.Model):
    """Spare parts for a service request or a repair (配件申请). R: P1, P4, P5."""

    _name = "aftersales.parts.request"
    _description = "Spare Parts Request"
    _inherit = ["aftersales.sequence.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "is_urgent desc, date_requested desc, id desc"

    def _default_warehouse(self):
        return self.env.user.company_id.aftersales_parts_warehouse_id

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.user.company_id, index=True)
    state = fields.Selection(
        REQUEST_STATES, default="draft", required=True, readonly=True, copy=False, index=True,
        track_visibility="onchange")
    # Origin
    ticket_id = fields.Many2one(
        "aftersales.ticket", string="Service Request", index=True,
        readonly=True, states={"draft": [("readonly", False)]})
    repair_id = fields.Many2one(
        "mrp.repair", string="Repair Order", index=True,
        readonly=True, states={"draft": [("readonly", False)]})
    archive_id = fields.Many2one(
        "aftersales.archive", string="Unit", index=True, track_visibility="onchange",
        readonly=True, states={"draft": [("readonly", False)]})
    unit_product_id = fields.Many2one(
        "product.product", string="Unit Model", compute="_compute_unit_product_id", store=True,
        index=True, help="The product model of the unit the parts are for (R: A8).")
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, track_visibility="onchange",
        readonly=True, states={"draft": [("readonly", False)]})
    partner_shipping_id = fields.Many2one(
        "res.partner", string="Customer Address",
        readonly=True, states={"draft": [("readonly", False)]},
        help="Where parts sent to the customer are delivered.")
    engineer_id = fields.Many2one(
        "res.users", string="Engineer", track_visibility="onchange",
        readonly=True, states={"draft": [("readonly", False)]})
    user_id = fields.Many2one(
        "res.users", string="Requested By", default=lambda self: self.env.user, readonly=True)
    date_requested = fields.Datetime(
        string="Requested On", required=True, default=fields.Datetime.now, readonly=True,
        index=True)
    warehouse_id = fields.Many2one(
        "stock.warehouse", string="Parts Warehouse", required=True, default=_default_warehouse,
        readonly=True, states={"draft": [("readonly", False)]})
    note = fields.Text(string="Notes")
    # Approval
    approver_id = fields.Many2one("res.users", string="Approved By", readonly=True, copy=False)
    date_approved = fields.Datetime(string="Approved On", readonly=True, copy=False)
    # Refurbished parts (R: P5, W6)
    allow_refurbished = fields.Boolean(
        string="Refurbished Parts Allowed by Manager", copy=False, track_visibility="onchange",
        help="Lets refurbished lots be issued although the unit has no extended warranty.")
    refurbished_allowed = fields.Boolean(
        string="May Use Refurbished Parts", compute="_compute_refurbished_allowed",
        compute_sudo=True)
    # Lines and timeliness (R: P1, P4)
    line_ids = fields.One2many(
        "aftersales.parts.request.line", "request_id", string="Parts", copy=True,
        readonly=True, states={"draft": [("readonly", False)]})
    is_urgent = fields.Boolean(
        string="Urgent", compute="_compute_is_urgent", store=True, index=True)
    date_promised = fields.Date(
        string="Promised Issue Date", compute="_compute_dates", store=True)
    date_issued = fields.Datetime(string="Issued On", compute="_compute_dates", store=True)
    issued_on_time = fields.Boolean(string="Issued on Time", compute="_compute_dates", store=True)
    # Documents
    picking_ids = fields.One2many(
        "stock.picking", "aftersales_parts_request_id", string="Transfers", readonly=True)
    purchase_ids = fields.One2many(
        "purchase.order", "aftersales_parts_request_id", string="Purchase Orders", readonly=True)
    core_return_ids = fields.One2many(
        "aftersales.core.return", "request_id", string="Core Returns", readonly=True)
    picking_count = fields.Integer(compute="_compute_document_counts", string="Transfer Count")
    purchase_count = fields.Integer(compute="_compute_document_counts", string="Purchase Count")
    core_return_count = fields.Integer(
        compute="_compute_document_counts", string="Core Return Count")

    @api.depends("archive_id.product_id", "ticket_id.product_id")
    def _compute_unit_product_id(self):
        for request in self:
            request.unit_product_id = (
                request.archive_id.product_id or request.ticket_id.product_id)

    @api.depends("allow_refurbished", "archive_id")
    def _compute_refurbished_allowed(self):
        for request in self:
            # Logistics validating the transfer may not read units: ask as superuser.
            archive = request.archive_id.sudo()
            request.refurbished_allowed = request.allow_refurbished or bool(
                archive and archive._is_under_extended_warranty())

    @api.depends("line_ids.urgency")
    def _compute_is_urgent(self):
        for request in self:
            request.is_urgent = any(line.urgency == "urgent" for line in request.line_ids)

    @api.depends("line_ids.date_promised", "line_ids.date_issued", "line_ids.issued_on_time",
                 "line_ids.supply_status")
    def _compute_dates(self):
        self.update({"date_promised": False, "date_issued": False, "issued_on_time": False})
        for request in self.filtered("line_ids"):
            lines = request.line_ids.filtered(lambda l: l.supply_status != "cancel")
            promised = [d for d in lines.mapped("date_promised") if d]
            request.date_promised = promised and min(promised) or False
            if lines and all(line.date_issued for line in lines):
                request.date_issued = max(lines.mapped("date_issued"))
                request.issued_on_time = all(lines.mapped("issued_on_time"))

    def _compute_document_counts(self):
        for request in self:
            request.picking_count = len(request.picking_ids)
            request.purchase_count = len(request.purchase_ids)
            request.core_return_count = len(request.core_return_ids)

    @api.onchange("ticket_id")
    def _onchange_ticket_id(self):
        ticket = self.ticket_id
        if ticket:
            self.partner_id = ticket.partner_id
            self.archive_id = ticket.archive_id
            self.engineer_id = ticket.engineer_id or self.engineer_id

    @api.onchange("archive_id")
    def _onchange_archive_id(self):
        if self.archive_id:
            self.partner_id = self.archive_id.partner_id
            self.partner_shipping_id = self.archive_id.contact_id or self.archive_id.partner_id

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        if self.partner_id and not self.partner_shipping_id:
            address = self.partner_id.address_get(["delivery"])["delivery"]
            self.partner_shipping_id = address

    @api.model
    def create(self, vals):
        self._ensure_may_allow_refurbished(vals)
        return super().create(vals)

    @api.multi
    def write(self, vals):
        self._ensure_may_allow_refurbished(vals)
        return super().write(vals)

    @api.multi
    def unlink(self):
        # Business records are cancelled or archived, never deleted once submitted.
        if self.filtered(lambda r: r.state != "draft"):
            raise UserError(_("Only draft parts requests can be deleted; cancel the others."))
        return super().unlink()

    # Actions

    @api.multi
    def action_submit(self):
        for request in self:
            request._ensure_state("draft")
            request._ensure_has_lines()
        self.write({"state": "to_approve"})

    @api.multi
    def action_approve(self):
        """R: P1 - a manager approves, then the parts are supplied at once."""
        self._ensure_manager(_("approve parts requests"))
        for request in self:
            request._ensure_state("to_approve")
        self.write({"state": "approved", "approver_id": self.env.uid,
                    "date_approved": fields.Datetime.now()})
        self._launch_supply()

    @api.multi
    def action_supply(self):
        """Serve what stock allows, order the rest; safe to run again (never twice)."""
        for request in self:
            request._ensure_state("approved")
        self._launch_supply()

    @api.multi
    def action_cancel(self):
        for request in self:
            request._ensure_cancellable()
        moves = self.mapped("line_ids.move_ids").filtered(lambda m: m.state not in ("done", "cancel"))
        moves.sudo()._action_cancel()
        self.write({"state": "cancel"})

    @api.multi
    def action_draft(self):
        for request in self:
            request._ensure_state("cancel")
        self.write({"state": "draft", "approver_id": False, "date_approved": False})

    @api.multi
    def action_view_pickings(self):
        self.ensure_one()
        return self._document_action("stock.action_picking_tree_all", self.picking_ids)

    @api.multi
    def action_view_purchases(self):
        self.ensure_one()
        return self._document_action("purchase.purchase_rfq", self.purchase_ids)

    @api.multi
    def action_view_core_returns(self):
        self.ensure_one()
        return self._document_action(
            "aftersales_parts.aftersales_core_return_action", self.core_return_ids)

    def _document_action(self, xmlid, records):
        action = self.env.ref(xmlid).read()[0]
        action["domain"] = [("id", "in", records.ids)]
        action["context"] = {}
        if len(records) == 1:
            action["views"] = [(False, "form")]
            action["res_id"] = records.id
        return action

    # Guards

    def _ensure_state(self, *states):
        if self.state not in states:
            labels = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(_("Parts request %(request)s is %(state)s; this is not possible now.")
                            % {"request": self.name, "state": labels[self.state]})

    def _ensure_has_lines(self):
        if not self.line_ids:
            raise UserError(_("Parts request %(request)s has no parts to request.")
                            % {"request": self.name})

    def _ensure_manager(self, what):
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(_("Only an after-sales manager may %(what)s.") % {"what": what})

    def _ensure_may_allow_refurbished(self, vals):
        """R: P5, W6 - only a manager lets refurbished parts go to a unit without extended
        warranty."""
        if vals.get("allow_refurbished"):
            self._ensure_manager(_("allow refurbished parts"))

    def _ensure_cancellable(self):
        self._ensure_state("draft", "to_approve", "approved")
        if any(line.qty_issued for line in self.line_ids):
            raise UserError(_("Parts of request %(request)s were already issued; it cannot be "
                              "cancelled.") % {"request": self.name})
        if self.purchase_ids.filtered(lambda po: po.state != "cancel"):
            raise UserError(_("Parts of request %(request)s were ordered from the vendor; "
                              "cancel the purchase orders first.") % {"request": self.name})

    def _ensure_refurbished_allowed(self, lots):
        """R: P5, W6 - refurbished lots only for extended warranty units or with consent."""
        refurbished = lots.filtered("is_refurbished")
        if refurbished and not self.refurbished_allowed:
            raise UserError(_(
                "Parts request %(request)s may not use refurbished lots (%(lots)s): unit "
                "%(unit)s has no extended warranty contract and no manager allowed it."
            ) % {"request": self.name, "lots": ", ".join(refurbished.mapped("name")),
                 "unit": self.archive_id.display_name or _("(none)")})

    # Supply (R: P1)

    def _launch_supply(self):
        for request in self:
            to_issue, to_buy = request.line_ids._split_by_supply()
            if to_buy:
                request._create_purchase_orders(to_buy)
            if to_issue:
                request._create_pickings(to_issue)

    def _create_pickings(self, lines):
        """One outgoing transfer per destination, from the parts warehouse (R: P1, P4)."""
        self.ensure_one()
        by_partner = defaultdict(lambda: self.env["aftersales.parts.request.line"])
        for line in lines:
            by_partner[line._destination_partner()] |= line
        pickings = self.env["stock.picking"]
        for partner, partner_lines in by_partner.items():
            picking = self.env["stock.picking"].sudo().create(
                self._prepare_picking_vals(partner, partner_lines))
            picking.action_confirm()
            picking.action_assign()
            pickings |= picking
        return pickings

    def _create_purchase_orders(self, lines):
        """Short lines become a request for quotation to the part's maker (R: P1)."""
        self.ensure_one()
        by_vendor = defaultdict(lambda: self.env["aftersales.parts.request.line"])
        for line in lines:
            by_vendor[line._vendor()] |= line
        orders = self.env["purchase.order"]
        for vendor, vendor_lines in by_vendor.items():
            order = self.purchase_ids.filtered(
                lambda po: po.partner_id == vendor and po.state == "draft")[:1]
            if not order:
                order = self.env["purchase.order"].sudo().create(
                    self._prepare_purchase_vals(vendor))
            for line in vendor_lines:
                purchase_line = self.env["purchase.order.line"].sudo().create(
                    line._prepare_purchase_line_vals(order))
                line.purchase_line_id = purchase_line
            orders |= order
        return orders

    def _prepare_picking_vals(self, partner, lines):
        picking_type = self.warehouse_id.out_type_id
        location_dest = (picking_type.default_location_dest_id
                         or partner.property_stock_customer)
        return {
            "picking_type_id": picking_type.id,
            "partner_id": partner.id,
            "location_id": self.warehouse_id.lot_stock_id.id,
            "location_dest_id": location_dest.id,
            "origin": self.name,
            "company_id": self.company_id.id,
            "move_type": "direct",
            "aftersales_parts_request_id": self.id,
            "move_lines": [(0, 0, line._prepare_move_vals(picking_type, location_dest))
                           for line in lines],
        }

    def _prepare_purchase_vals(self, vendor):
        return {
            "partner_id": vendor.id,
            "origin": self.name,
            "company_id": self.company_id.id,
            "picking_type_id": self.warehouse_id.in_type_id.id,
            "aftersales_parts_request_id": self.id,
        }

    def _register_issue(self):
        """Close requests whose every line is issued (called when parts leave the warehouse)."""
        done = self.filtered(lambda r: r.state == "approved" and all(
            line.supply_status in ("shipped", "cancel") for line in r.line_ids))
        done.write({"state": "done"})
        for request in done:
            request.message_post(body=_("All parts issued."))

    # Opening requests from tickets and repairs

    @api.model
    def _new_request_action(self, defaults):
        action = self.env.ref("aftersales_parts.aftersales_parts_request_action").read()[0]
        action.update(views=[(False, "form")], view_mode="form",
                      context={k: v for k, v in defaults.items() if v})
        return action

    @api.model
    def _list_action(self, domain, context):
        action = self.env.ref("aftersales_parts.aftersales_parts_request_action").read()[0]
        action.update(domain=domain, context=context)
        return action
