from datetime import timedelta

from odoo import api, fields, models, _
from odoo.exceptions import UserError

from odoo.addons.aftersales_base.tools import in_batches

CLERK_GROUP = "aftersales_base.group_aftersales_parts_clerk"
MANAGER_GROUP = "aftersales_base.group_aftersales_manager"
CORE_FIELDS = ("company_id", "partner_id", "archive_id", "product_id", "quantity", "vendor_id",
               "vendor_rma_ref", "date_issued")


class AftersalesCoreReturn(models.Model):
    """A defective core the maker wants back (核心部件回收返厂). R: P2.

    The parts clerk receives the core and ships it back (issue 13): the state, the dates of
    these steps, their transfers and the reminder flag change only through the actions; the
    due date, which late returns are tracked by, is the after-sales manager's.
    """

    _name = "aftersales.core.return"
    _description = "Core Return"
    _inherit = ["aftersales.guard.mixin", "aftersales.sequence.mixin", "mail.thread",
                "mail.activity.mixin"]
    _order = "date_due, id"

    _guard_owned_fields = ("name", "state", "request_id", "request_line_id", "date_received",
                           "date_returned", "overdue_activity_scheduled", "receipt_picking_id",
                           "return_picking_id")
    _guard_editable_fields = CORE_FIELDS + ("date_due",)
    _guard_open_states = ("expected",)
    _guard_locked_states = ("received", "returned", "cancel")
    _guard_field_roles = dict({name: (CLERK_GROUP, MANAGER_GROUP) for name in CORE_FIELDS},
                              date_due=(MANAGER_GROUP,))

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.user.company_id, index=True)
    state = fields.Selection(
        [("expected", "Expected from Customer"),
         ("received", "Received"),
         ("returned", "Returned to Vendor"),
         ("cancel", "Cancelled")],
        default="expected", required=True, readonly=True, copy=False, index=True,
        track_visibility="onchange")
    # Origin
    request_id = fields.Many2one(
        "aftersales.parts.request", string="Parts Request", index=True, readonly=True,
        copy=False)
    request_line_id = fields.Many2one(
        "aftersales.parts.request.line", string="Parts Request Line", index=True, readonly=True,
        copy=False)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, track_visibility="onchange")
    archive_id = fields.Many2one("aftersales.archive", string="Unit", index=True)
    product_id = fields.Many2one(
        "product.product", string="Part", required=True, index=True, ondelete="restrict")
    quantity = fields.Float(required=True, default=1.0, digits=(16, 2))
    vendor_id = fields.Many2one(
        "res.partner", string="Vendor", index=True, track_visibility="onchange",
        help="The maker the core goes back to.")
    # Dates (R: P2)
    date_issued = fields.Date(string="Part Issued On", required=True,
                              default=fields.Date.context_today)
    date_due = fields.Date(string="Core Due On", required=True, index=True,
                           track_visibility="onchange")
    date_received = fields.Date(string="Core Received On", readonly=True, copy=False)
    date_returned = fields.Date(string="Returned to Vendor On", readonly=True, copy=False)
    is_overdue = fields.Boolean(
        string="Overdue", compute="_compute_is_overdue", search="_search_is_overdue")
    overdue_activity_scheduled = fields.Boolean(
        string="Overdue Reminder Scheduled", readonly=True, copy=False,
        help="Set once the overdue reminder activity exists; it is never scheduled twice.")
    # Logistics
    receipt_picking_id = fields.Many2one(
        "stock.picking", string="Receipt from Customer", readonly=True, copy=False)
    vendor_rma_ref = fields.Char(
        string="Vendor Return Reference", track_visibility="onchange",
        help="The vendor's return authorisation (RMA) number for this core.")
    return_picking_id = fields.Many2one(
        "stock.picking", string="Shipment to Vendor", readonly=True, copy=False)

    _sql_constraints = [
        ("quantity_positive", "CHECK(quantity > 0)", "The quantity of a core must be positive."),
    ]

    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for core in self:
            core.is_overdue = core.state == "expected" and core.date_due < today

    def _search_is_overdue(self, operator, value):
        today = fields.Date.context_today(self)
        overdue = ["&", ("state", "=", "expected"), ("date_due", "<", today)]
        if (operator == "=") == bool(value):
            return overdue
        return ["|", ("state", "!=", "expected"), ("date_due", ">=", today)]

    @api.model
    def _guard_writable_in(self, state):
        writable = super()._guard_writable_in(state)
        if state == "received":
            # back to which maker, under which return authorisation
            writable |= {"vendor_id", "vendor_rma_ref"}
        return writable

    @api.multi
    def unlink(self):
        raise UserError(_("Core returns cannot be deleted; cancel or archive them instead."))

    # Actions

    @api.multi
    def action_receive_from_customer(self):
        """Create (once) the incoming transfer of the defective core into the core location."""
        self.ensure_one()
        self._guard_ensure_role(CLERK_GROUP)
        self._ensure_state("expected")
        if not self.receipt_picking_id or self.receipt_picking_id.state == "cancel":
            picking = self._create_picking(self._prepare_receipt_picking_vals())
            self._write_owned({"receipt_picking_id": picking.id})
        return self._picking_action(self.receipt_picking_id)

    @api.multi
    def action_ship_to_vendor(self):
        """Create (once) the transfer of the core back to the vendor, with its RMA number."""
        self.ensure_one()
        self._guard_ensure_role(CLERK_GROUP)
        self._ensure_state("received")
        self._ensure_can_ship()
        if not self.return_picking_id or self.return_picking_id.state == "cancel":
            picking = self._create_picking(self._prepare_vendor_picking_vals())
            self._write_owned({"return_picking_id": picking.id})
        return self._picking_action(self.return_picking_id)

    @api.multi
    def action_cancel(self):
        self._guard_ensure_role(CLERK_GROUP, MANAGER_GROUP)
        for core in self:
            core._ensure_state("expected")
        pickings = self.mapped("receipt_picking_id").filtered(
            lambda p: p.state not in ("done", "cancel"))
        pickings.sudo().action_cancel()
        self._write_owned({"state": "cancel"})

    def _picking_action(self, picking):
        action = self.env.ref("stock.action_picking_tree_all").read()[0]
        action.update(views=[(False, "form")], res_id=picking.id, context={})
        return action

    # Guards

    def _ensure_state(self, *states):
        if self.state not in states:
            labels = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(_("Core return %(core)s is %(state)s; this is not possible now.")
                            % {"core": self.name, "state": labels[self.state]})

    def _ensure_can_ship(self):
        if not self.vendor_id:
            raise UserError(_("Core return %(core)s has no vendor to ship it to.")
                            % {"core": self.name})
        if not self.vendor_rma_ref:
            raise UserError(_("Enter the vendor's return reference (RMA number) of core return "
                              "%(core)s before shipping it.") % {"core": self.name})

    # Logistics

    def _core_location(self):
        location = self.company_id.aftersales_core_location_id
        if not location:
            raise UserError(_("No core returns location is configured for %(company)s.")
                            % {"company": self.company_id.name})
        return location

    def _warehouse(self):
        warehouse = (self.request_id.warehouse_id
                     or self.company_id.aftersales_parts_warehouse_id)
        if not warehouse:
            raise UserError(_("No after-sales parts warehouse is configured for %(company)s.")
                            % {"company": self.company_id.name})
        return warehouse

    def _create_picking(self, vals):
        picking = self.env["stock.picking"].sudo().create(vals)
        picking.action_confirm()
        picking.action_assign()
        return picking

    def _prepare_picking_vals(self, picking_type, partner, source, destination, origin):
        return {
            "picking_type_id": picking_type.id,
            "partner_id": partner.id,
            "location_id": source.id,
            "location_dest_id": destination.id,
            "origin": origin,
            "company_id": self.company_id.id,
            "move_lines": [(0, 0, {
                "name": _("Core of %(part)s") % {"part": self.product_id.display_name},
                "product_id": self.product_id.id,
                "product_uom_qty": self.quantity,
                "product_uom": self.product_id.uom_id.id,
                "location_id": source.id,
                "location_dest_id": destination.id,
                "picking_type_id": picking_type.id,
                "company_id": self.company_id.id,
                "origin": origin,
                "aftersales_core_return_id": self.id,
            })],
        }

    def _prepare_receipt_picking_vals(self):
        return self._prepare_picking_vals(
            self._warehouse().in_type_id, self.partner_id,
            self.partner_id.property_stock_customer, self._core_location(), self.name)

    def _prepare_vendor_picking_vals(self):
        origin = "%s / %s" % (self.name, self.vendor_rma_ref)
        return self._prepare_picking_vals(
            self._warehouse().out_type_id, self.vendor_id,
            self._core_location(), self.vendor_id.property_stock_supplier, origin)

    @api.model
    def _create_for_lines(self, lines):
        """R: P2 - issuing a core part creates the expected return; once per line."""
        existing = self.search([("request_line_id", "in", lines.ids)]).mapped("request_line_id")
        cores = self.browse()
        for line in lines - existing:
            cores |= self._create_owned(self._prepare_core_vals(line))
        return cores

    @api.model
    def _prepare_core_vals(self, line):
        request = line.request_id
        issued = fields.Date.from_string(fields.Date.context_today(self))
        sellers = line.product_id.seller_ids
        return {
            "request_id": request.id,
            "request_line_id": line.id,
            "partner_id": request.partner_id.commercial_partner_id.id,
            "archive_id": request.archive_id.id,
            "product_id": line.product_id.id,
            "quantity": line.qty_issued,
            "vendor_id": sellers[:1].name.id,
            "company_id": request.company_id.id,
            "date_issued": fields.Date.to_string(issued),
            "date_due": fields.Date.to_string(
                issued + timedelta(days=line.product_id.core_return_days)),
        }

    def _register_moves_done(self, moves):
        """The receipt or the shipment to the vendor was validated."""
        today = fields.Date.context_today(self)
        for core in self:
            done = moves.filtered(lambda m: m.aftersales_core_return_id == core)
            pickings = done.mapped("picking_id")
            if core.state == "expected" and core.receipt_picking_id in pickings:
                core._write_owned({"state": "received", "date_received": today})
            elif core.state == "received" and core.return_picking_id in pickings:
                core._write_owned({"state": "returned", "date_returned": today})

    # Overdue follow-up (R: P2)

    @api.model
    def _cron_schedule_overdue_activities(self):
        """One reminder activity per overdue core return, never twice."""
        overdue = self.search([("is_overdue", "=", True),
                               ("overdue_activity_scheduled", "=", False)])
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        for batch in in_batches(overdue):
            batch._schedule_overdue_activities(activity_type)
        return overdue

    def _schedule_overdue_activities(self, activity_type):
        for core in self:
            core._aftersales_schedule_activity(
                activity_type, core._responsible(),
                _("Core overdue: chase %(customer)s") % {
                    "customer": core.partner_id.display_name},
                _("The defective core of %(part)s was due back on %(date)s.") % {
                    "part": core.product_id.display_name, "date": core.date_due})
        self._write_owned({"overdue_activity_scheduled": True})

    def _responsible(self):
        return self.request_id.user_id or self.env.user
