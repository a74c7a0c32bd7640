from datetime import timedelta

from odoo import api, fields, models, _
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare

from odoo.addons.aftersales_base.models.aftersales_archive import add_working_days

ENGINEER_GROUP = "aftersales_base.group_aftersales_engineer"
# What the engineer asks for: a change of these once the request is submitted needs a new
# approval (issue 13).
PART_FIELDS = ("product_id", "product_uom_id", "quantity", "urgency", "destination")

SUPPLY_STATUSES = [
    ("draft", "Not Approved"),
    ("pending", "To Supply"),
    ("to_order", "RFQ to Vendor"),
    ("ordered", "Ordered"),
    ("received", "Received"),
    ("waiting", "Waiting for Stock"),
    ("reserved", "Reserved"),
    ("shipped", "Shipped"),
    ("cancel", "Cancelled"),
]


class AftersalesPartsRequestLine(models.Model):
    """One part on a parts request and where it stands (R: P1, P4).

    Guarded by its request's state (issue 13): the engineer asks for parts while the request is
    open (draft, to approve, approved: then the approval starts again), nothing changes once it
    is issued or cancelled, a part being supplied (transfer or purchase order) is never changed,
    and the supply fields are written by the supply only.
    """

    _name = "aftersales.parts.request.line"
    _description = "Spare Parts Request Line"
    _inherit = ["aftersales.guard.mixin"]
    _order = "request_id, sequence, id"

    _guard_state_field = "request_state"
    _guard_owned_fields = ("purchase_line_id", "date_approved", "date_issued", "move_ids",
                           "core_return_ids")
    _guard_editable_fields = ("request_id", "sequence") + PART_FIELDS
    _guard_open_states = ("draft", "to_approve", "approved")
    _guard_locked_states = ("done", "cancel")
    _guard_field_roles = {name: (ENGINEER_GROUP,) for name in _guard_editable_fields}

    request_id = fields.Many2one(
        "aftersales.parts.request", string="Parts Request", required=True, index=True,
        ondelete="cascade")
    request_state = fields.Selection(
        related="request_id.state", string="Request Status", readonly=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(related="request_id.company_id", store=True, readonly=True)
    product_id = fields.Many2one(
        "product.product", string="Part", required=True, index=True, ondelete="restrict",
        domain=[("aftersales_spare_part", "=", True)])
    product_uom_id = fields.Many2one("product.uom", string="Unit of Measure", required=True)
    quantity = fields.Float(
        string="Quantity", required=True, default=1.0, digits=(16, 2))
    urgency = fields.Selection(
        [("normal", "Normal"), ("urgent", "Urgent")], required=True, default="normal",
        index=True)
    destination = fields.Selection(
        [("engineer", "Engineer"), ("customer", "Customer Address")], required=True,
        default="engineer", help="Who receives the part.")
    core_return_required = fields.Boolean(
        related="product_id.core_return_required", readonly=True)
    # Where the line stands
    move_ids = fields.One2many(
        "stock.move", "aftersales_parts_line_id", string="Stock Moves", readonly=True)
    purchase_line_id = fields.Many2one(
        "purchase.order.line", string="Purchase Order Line", readonly=True, copy=False,
        index=True)
    supply_status = fields.Selection(
        SUPPLY_STATUSES, string="Status", compute="_compute_supply_status", store=True,
        index=True)
    qty_issued = fields.Float(
        string="Issued Quantity", compute="_compute_qty_issued", digits=(16, 2))
    date_approved = fields.Datetime(
        string="Approved On", readonly=True, copy=False,
        help="When this part, as it stands, was approved; the issue is promised from it.")
    date_promised = fields.Date(
        string="Promised Issue Date", compute="_compute_date_promised", store=True)
    date_issued = fields.Datetime(string="Issued On", readonly=True, copy=False)
    issued_on_time = fields.Boolean(
        string="Issued on Time", compute="_compute_issued_on_time", store=True)
    core_return_ids = fields.One2many(
        "aftersales.core.return", "request_line_id", string="Core Returns", readonly=True)

    _sql_constraints = [
        ("quantity_positive", "CHECK(quantity > 0)", "The quantity of a part must be positive."),
    ]

    @api.depends("request_id.state", "move_ids.state", "purchase_line_id.state",
                 "purchase_line_id.qty_received", "quantity")
    def _compute_supply_status(self):
        for line in self:
            line.supply_status = line._supply_status()

    def _supply_status(self):
        moves = self.move_ids.filtered(lambda m: m.state != "cancel")
        purchase_line = self._live_purchase_line()
        if self.request_id.state == "cancel":
            return "cancel"
        if moves:
            if all(move.state == "done" for move in moves):
                return "shipped"
            if all(move.state in ("assigned", "done") for move in moves):
                return "reserved"
            return "waiting"
        if purchase_line:
            if self._is_received():
                return "received"
            return "ordered" if purchase_line.state in ("purchase", "done") else "to_order"
        if self.request_id.state in ("draft", "to_approve"):
            return "draft"
        return "pending"

    @api.depends("move_ids.state", "move_ids.product_qty")
    def _compute_qty_issued(self):
        for line in self:
            line.qty_issued = sum(line.move_ids.filtered(
                lambda m: m.state == "done").mapped("product_qty"))

    @api.depends("urgency", "date_approved", "request_id.date_requested")
    def _compute_date_promised(self):
        for line in self:
            start = line.date_approved or line.request_id.date_requested
            if not start:
                line.date_promised = False
                continue
            company = line.request_id.company_id or self.env.user.company_id
            days = (company.aftersales_parts_urgent_days if line.urgency == "urgent"
                    else company.aftersales_parts_normal_days)
            start_date = fields.Datetime.from_string(start).date()
            line.date_promised = fields.Date.to_string(add_working_days(start_date, days))

    @api.depends("date_issued", "date_promised")
    def _compute_issued_on_time(self):
        for line in self:
            line.issued_on_time = bool(
                line.date_issued and line.date_promised
                and line.date_issued[:10] <= line.date_promised)

    @api.constrains("product_id")
    def _check_product_id(self):
        for line in self.filtered(lambda l: not l.product_id.aftersales_spare_part):
            raise ValidationError(_("%(product)s is not an after-sales spare part.")
                                  % {"product": line.product_id.display_name})

    @api.onchange("product_id")
    def _onchange_product_id(self):
        if self.product_id:
            self.product_uom_id = self.product_id.uom_id

    @api.model
    def create(self, vals):
        request = self.env["aftersales.parts.request"].browse(vals.get("request_id"))
        request._ensure_parts_changeable()
        if vals.get("product_id") and not vals.get("product_uom_id"):
            vals["product_uom_id"] = self.env["product.product"].browse(
                vals["product_id"]).uom_id.id
        line = super().create(vals)
        line.request_id._parts_changed()
        return line

    @api.multi
    def write(self, vals):
        if "request_id" in vals and any(l.request_id.id != vals["request_id"] for l in self):
            raise UserError(_("A part cannot be moved to another parts request."))
        changed = set(vals) & set(PART_FIELDS)
        if changed:
            self.mapped("request_id")._ensure_parts_changeable()
            self._ensure_not_supplied()
        result = super().write(vals)
        if changed:
            # what was approved is not what is asked any more (issue 13)
            self.filtered("date_approved")._write_owned({"date_approved": False})
            self.mapped("request_id")._parts_changed()
        return result

    @api.multi
    def unlink(self):
        # An issued or cancelled request is a business record: its lines are what was asked
        # and issued. Before, a part not being supplied may go, with a new approval.
        requests = self.mapped("request_id")
        requests._ensure_parts_changeable()
        self._guard_ensure_role(ENGINEER_GROUP)
        self._ensure_not_supplied()
        result = super().unlink()
        requests.exists()._parts_changed()
        return result

    def _ensure_not_supplied(self):
        # the transfers and purchase orders are logistics' documents: checked as superuser
        for line in self.sudo():
            if line.move_ids.filtered(lambda m: m.state != "cancel") or \
                    line._live_purchase_line():
                raise UserError(_(
                    "Part %(part)s of parts request %(request)s is being supplied (transfer or "
                    "purchase order): it is locked, it can no longer be changed or removed.") % {
                    "part": line.product_id.display_name, "request": line.request_id.name})

    # Supply (R: P1)

    def _product_qty(self):
        return self.product_uom_id._compute_quantity(self.quantity, self.product_id.uom_id)

    def _live_purchase_line(self):
        """The purchase line serving this line, unless its order was cancelled."""
        return self.purchase_line_id.filtered(lambda l: l.state != "cancel")

    def _is_received(self):
        purchase_line = self.purchase_line_id
        received = purchase_line.product_uom._compute_quantity(
            purchase_line.qty_received, self.product_id.uom_id)
        return float_compare(received, self._product_qty(),
                             precision_rounding=self.product_id.uom_id.rounding) >= 0

    def _split_by_supply(self):
        """Return (lines to issue from stock, lines to buy); lines already served or ordered
        and not yet received are left out, so running the supply again creates nothing twice."""
        to_issue = to_buy = self.browse()
        free = {}
        for line in self:
            if line.move_ids.filtered(lambda m: m.state != "cancel"):
                continue
            if line._live_purchase_line():
                if line._is_received():
                    to_issue |= line
                continue
            product = line.product_id
            if product not in free:
                free[product] = line._free_quantity()
            qty = line._product_qty()
            if float_compare(free[product], qty,
                             precision_rounding=product.uom_id.rounding) >= 0:
                free[product] -= qty
                to_issue |= line
            else:
                to_buy |= line
        return to_issue, to_buy

    def _free_quantity(self):
        """Unreserved stock of the part in the parts warehouse that this request may use."""
        request = self.request_id
        quants = self.env["stock.quant"].sudo().with_context(
            aftersales_exclude_refurbished=not request.refurbished_allowed)
        return quants._get_available_quantity(self.product_id, request.warehouse_id.lot_stock_id)

    def _destination_partner(self):
        request = self.request_id
        if self.destination == "engineer":
            if not request.engineer_id:
                raise UserError(_("Parts request %(request)s sends %(part)s to the engineer, "
                                  "but no engineer is set.")
                                % {"request": request.name, "part": self.product_id.display_name})
            return request.engineer_id.partner_id
        return request.partner_shipping_id or request.partner_id

    def _vendor(self):
        """The part's maker: the first vendor on the product (R: P1)."""
        product = self.product_id
        sellers = product.seller_ids.filtered(
            lambda s: not s.product_id or s.product_id == product)
        if not sellers:
            raise UserError(_("Part %(part)s is short in stock and has no vendor to order it "
                              "from; add its manufacturer as vendor on the product.")
                            % {"part": product.display_name})
        return sellers[0].name

    def _prepare_move_vals(self, picking_type, location_dest):
        request = self.request_id
        return {
            "name": self.product_id.display_name,
            "product_id": self.product_id.id,
            "product_uom_qty": self.quantity,
            "product_uom": self.product_uom_id.id,
            "location_id": request.warehouse_id.lot_stock_id.id,
            "location_dest_id": location_dest.id,
            "picking_type_id": picking_type.id,
            "warehouse_id": request.warehouse_id.id,
            "company_id": request.company_id.id,
            "origin": request.name,
            # R: P4 - urgent parts are urgent for logistics too.
            "priority": "2" if self.urgency == "urgent" else "1",
            "aftersales_parts_line_id": self.id,
        }

    def _prepare_purchase_line_vals(self, order):
        product = self.product_id.with_context(lang=order.partner_id.lang)
        seller = product._select_seller(
            partner_id=order.partner_id, quantity=self.quantity, uom_id=self.product_uom_id)
        price = seller.price if seller else product.standard_price
        delay = seller.delay if seller else 0
        taxes = product.supplier_taxes_id.filtered(
            lambda t: t.company_id == order.company_id)
        return {
            "order_id": order.id,
            "product_id": product.id,
            "name": product.description_purchase or product.display_name,
            "product_qty": self.quantity,
            "product_uom": self.product_uom_id.id,
            "price_unit": price,
            "taxes_id": [(6, 0, taxes.ids)],
            "date_planned": fields.Datetime.to_string(
                fields.Datetime.from_string(fields.Datetime.now()) + timedelta(days=delay)),
        }

    def _register_moves_done(self):
        """Parts left the warehouse: date the issue, expect the cores, close the requests."""
        issued = self.filtered(lambda l: not l.date_issued and float_compare(
            l.qty_issued, l._product_qty(), precision_rounding=l.product_id.uom_id.rounding) >= 0)
        issued._write_owned({"date_issued": fields.Datetime.now()})
        self.env["aftersales.core.return"]._create_for_lines(
            issued.filtered("core_return_required"))
        issued.mapped("request_id")._register_issue()
