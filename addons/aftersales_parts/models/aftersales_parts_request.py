from collections import defaultdict

from odoo import api, fields, models, _
from odoo.exceptions import UserError

from odoo.addons.aftersales_base.models.aftersales_tier_validation import TIER_CACHE_FIELDS

REQUEST_STATES = [
    ("draft", "Draft"),
    ("to_approve", "To Approve"),
    ("approved", "Approved"),
    ("done", "Issued"),
    ("cancel", "Cancelled"),
]
ENGINEER_GROUP = "aftersales_base.group_aftersales_engineer"
CLERK_GROUP = "aftersales_base.group_aftersales_parts_clerk"
MANAGER_GROUP = "aftersales_base.group_aftersales_manager"
# What the engineer fills in when asking for parts (issue 13: only the engineer role writes it).
REQUEST_FIELDS = ("company_id", "ticket_id", "repair_id", "archive_id", "partner_id",
                  "partner_shipping_id", "engineer_id", "warehouse_id")


class AftersalesPartsRequest(models.Model):
    """Spare parts for a service request or a repair (配件申请). R: P1, P4, P5.

    The engineer asks, the after-sales manager approves (a `tier.definition` level, shipped as
    data), the parts clerk supplies and issues. Parts added, changed or removed after the request
    was submitted start the approval again, and nothing more is supplied until it is approved
    (issue 13).
    """

    _name = "aftersales.parts.request"
    _description = "Spare Parts Request"
    _inherit = ["aftersales.guard.mixin", "aftersales.tier.validation",
                "aftersales.sequence.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "is_urgent desc, date_requested desc, id desc"

    # Workflow guard (issue 13): the state, the requester and the approval date change only
    # through the actions; once submitted only notes, the manager's consent to refurbished parts
    # and the parts (each line holds its own rules, see aftersales.parts.request.line) change.
    _guard_owned_fields = ("name", "state", "user_id", "date_requested", "date_approved",
                           "review_ids", "picking_ids", "purchase_ids", "core_return_ids")
    _guard_editable_fields = REQUEST_FIELDS
    _guard_free_fields = ("note", "allow_refurbished", "line_ids")
    _guard_open_states = ("draft",)
    _guard_locked_states = ("to_approve", "approved", "done", "cancel")
    _guard_field_roles = dict({name: (ENGINEER_GROUP,) for name in REQUEST_FIELDS + ("line_ids",)},
                              allow_refurbished=(MANAGER_GROUP,))
    # Approval (R: P1): the levels are tier.definition records of this model.
    _state_from = ["to_approve"]
    _state_to = ["approved"]
    _cancel_state = "cancel"
    _tier_requester_field = "user_id"
    # the approver is read from the reviews as well
    _tier_cache_fields = TIER_CACHE_FIELDS + ("approver_id",)

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
        "res.users", string="Requested By", default=lambda self: self.env.user, readonly=True,
        copy=False)
    date_requested = fields.Datetime(
        string="Requested On", required=True, default=fields.Datetime.now, readonly=True,
        index=True, copy=False)
    warehouse_id = fields.Many2one(
        "stock.warehouse", string="Parts Warehouse", required=True, default=_default_warehouse,
        readonly=True, states={"draft": [("readonly", False)]})
    note = fields.Text(string="Notes")
    # Approval: who approved and when is the reviews' record (tier.review), never typed.
    approver_id = fields.Many2one(
        "res.users", string="Approved By", compute="_compute_approver_id",
        help="The after-sales manager who gave the last approval (from the reviews).")
    date_approved = fields.Datetime(
        string="Approved On", readonly=True, copy=False,
        help="When the parts were last approved; the issue is promised from it (R: P1).")
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
        readonly=True, states={"draft": [("readonly", False)], "to_approve": [("readonly", False)],
                               "approved": [("readonly", False)]},
        help="Parts added, changed or removed once the request is submitted need a new "
             "approval.")
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

    @api.depends("review_ids.status", "review_ids.done_by")
    def _compute_approver_id(self):
        for request in self:
            approved = request._tier_ordered(
                request.review_ids.filtered(lambda r: r.status == "approved"))
            request.approver_id = approved[-1:].done_by if request.validated else False

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

    @api.multi
    def unlink(self):
        # Business records are cancelled or archived, never deleted once submitted.
        if self.filtered(lambda r: r.state != "draft"):
            raise UserError(_("Only draft parts requests can be deleted; cancel the others."))
        return super().unlink()

    # Actions

    @api.multi
    def action_submit(self):
        """R: P1 - the engineer asks for the parts: the approval levels are requested."""
        self._guard_ensure_role(ENGINEER_GROUP)
        for request in self:
            request._ensure_state("draft")
            request._ensure_has_lines()
        self._write_owned({"state": "to_approve"})
        self._request_approval()

    @api.multi
    def validate_tier(self):
        """R: P1 - the manager approves; after the last level the parts are supplied at once."""
        result = super().validate_tier()
        self._tier_refresh()
        self.filtered(lambda r: r.state == "to_approve" and r._tier_is_validated())._approve()
        return result

    @api.multi
    def action_supply(self):
        """The parts clerk serves what stock allows and orders the rest; safe to run again
        (never twice). Refused unless the request, as it stands, is approved."""
        self._guard_ensure_role(CLERK_GROUP, MANAGER_GROUP)
        self._launch_supply()

    @api.multi
    def action_cancel(self):
        self._guard_ensure_role(ENGINEER_GROUP)
        for request in self:
            request._ensure_cancellable()
        moves = self.mapped("line_ids.move_ids").filtered(lambda m: m.state not in ("done", "cancel"))
        moves.sudo()._action_cancel()
        self._write_owned({"state": "cancel"})

    @api.multi
    def action_draft(self):
        self._guard_ensure_role(ENGINEER_GROUP)
        for request in self:
            request._ensure_state("cancel")
        # the old reviews go when the request is submitted again (tier.validation's write)
        self._write_owned({"state": "draft", "date_approved": False})
        self.mapped("line_ids")._write_owned({"date_approved": False})

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

    # Approval (R: P1, issue 13)

    @api.model
    def _get_under_validation_exceptions(self):
        # what the guard lets change in a submitted request may change while it is reviewed
        return super()._get_under_validation_exceptions() + list(self._guard_free_fields)

    def _request_approval(self):
        """Request the approval levels; a request no level applies to is approved at once."""
        self._tier_refresh()
        self.request_validation()
        self._tier_refresh()
        self.filtered(lambda r: r.state == "to_approve" and not r.review_ids
                      and r._tier_is_validated())._approve()

    def _approve(self):
        """Every level approved: the request is approved, its new parts promised from now and
        supplied at once (R: P1)."""
        for request in self:
            # when: the last review's date (the time of the approval itself without levels)
            approved_on = max(request.review_ids.mapped("reviewed_date") or
                              [fields.Datetime.now()])
            request._write_owned({"state": "approved", "date_approved": approved_on})
            request.line_ids.filtered(lambda l: not l.date_approved)._write_owned(
                {"date_approved": approved_on})
        self._launch_supply()
        self._register_issue()

    def _parts_changed(self):
        """Parts were added, changed or removed after the request was submitted: what was
        approved is not what is asked any more. The reviews are dropped, the request waits for
        a new approval and nothing more is supplied until then (issue 13)."""
        requests = self.filtered(lambda r: r.state in ("to_approve", "approved"))
        if not requests:
            return
        requests._tier_restart()
        requests.filtered(lambda r: r.state == "approved")._write_owned(
            {"state": "to_approve"})
        requests._request_approval()

    def _ensure_parts_changeable(self):
        for request in self.filtered(lambda r: r.state in ("done", "cancel")):
            labels = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(_("Parts request %(request)s is %(state)s: its parts can no longer "
                              "be changed.") % {"request": request.name,
                                                "state": labels[request.state]})

    # Supply (R: P1)

    def _launch_supply(self):
        for request in self:
            request._ensure_state("approved")
        # the request as it stands now was approved by every level (issue 13)
        self._tier_refresh()
        self._tier_ensure_validated()
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
                line._write_owned({"purchase_line_id": purchase_line.id})
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
        done._write_owned({"state": "done"})
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
