from datetime import timedelta

from odoo import api, fields, models, _
from odoo.exceptions import UserError, ValidationError

MANAGER = "aftersales_base.group_aftersales_manager"
ENGINEER = "aftersales_base.group_aftersales_engineer"
# What the delivery of the unit says: on an archive made by a delivery, only the delivery
# registration (a delivery, a return) changes them.
DELIVERY_FACTS = ("product_id", "lot_id", "partner_id", "delivery_date")


def add_working_days(start, days):
    """Return the date `days` working days (Monday-Friday) after `start`."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current


class AftersalesArchive(models.Model):
    """One delivered unit (出厂产品档案). R: A1-A7."""

    _name = "aftersales.archive"
    _description = "Unit Archive"
    _inherit = ["aftersales.guard.mixin", "aftersales.sequence.mixin", "mail.thread",
                "mail.activity.mixin", "aftersales.customer.document.mixin"]
    _order = "delivery_date desc, id desc"
    _rec_name = "name"

    # The workflow guard (issue 13). Owned: written by the delivery registration
    # (`_register_deliveries`, `_register_returns`) and the actions only.
    _guard_owned_fields = (
        "name", "state", "company_id", "sale_order_id", "picking_id", "completeness_deadline",
        "return_picking_id", "return_date", "event_ids")
    # Filled while the archive is open. The delivery facts of a unit recorded by hand (delivered
    # before the system) are typed by a manager; once a delivery made the archive, they are the
    # delivery's (`_check_delivery_facts_write`).
    _guard_editable_fields = DELIVERY_FACTS + (
        "configuration", "service_terms", "commissioning_date", "acceptance_date")
    # The customer's contact and site are kept up to date for the unit's whole life (R: A2, A9).
    _guard_free_fields = ("contact_id", "site_address")
    _guard_open_states = ("open",)
    _guard_locked_states = ("complete", "returned")
    _guard_field_roles = {
        # who owns the unit decides who sees it on the portal; the acceptance date starts the
        # free repair window (R: W2): the after-sales manager's, never the hotline's
        "product_id": (MANAGER,),
        "lot_id": (MANAGER,),
        "partner_id": (MANAGER,),
        "delivery_date": (MANAGER,),
        "acceptance_date": (MANAGER,),
        "service_terms": (MANAGER,),
        # the commissioning engineer records what was installed (R: A1)
        "commissioning_date": (ENGINEER,),
        "configuration": (ENGINEER,),
    }

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    active = fields.Boolean(default=True, track_visibility="onchange")
    state = fields.Selection(
        [("open", "To Complete"), ("complete", "Complete"), ("returned", "Returned")],
        default="open", required=True, readonly=True, copy=False, index=True,
        track_visibility="onchange",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.user.company_id, index=True,
        copy=False)
    # Unit
    product_id = fields.Many2one(
        "product.product", string="Product", required=True, index=True, ondelete="restrict",
        domain=[("aftersales_tracked", "=", True)])
    lot_id = fields.Many2one(
        "stock.production.lot", string="Serial Number", required=True, index=True,
        ondelete="restrict")
    configuration = fields.Text(
        string="Configuration", help="Main components and options of this unit (R: A1).")
    service_terms = fields.Text(string="Service Terms")
    # Customer
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, track_visibility="onchange",
        help="The customer company (commercial partner).")
    contact_id = fields.Many2one(
        "res.partner", string="Site Contact", track_visibility="onchange",
        help="Delivery contact at the site.")
    contact_phone = fields.Char(related="contact_id.phone", string="Contact Phone", readonly=True)
    site_address = fields.Text(string="Site Address", track_visibility="onchange")
    # Delivery (R: A1, A4)
    sale_order_id = fields.Many2one(
        "sale.order", string="Sale Order", index=True, readonly=True, copy=False)
    picking_id = fields.Many2one(
        "stock.picking", string="Delivery", index=True, readonly=True, copy=False)
    delivery_date = fields.Date(
        string="Delivery Date", index=True, copy=False, track_visibility="onchange",
        help="Set by the delivery; typed by a manager only for a unit recorded by hand.")
    packing_line_ids = fields.One2many(
        related="picking_id.move_line_ids", string="Packing List", readonly=True)
    commissioning_date = fields.Date(string="Commissioning Date", track_visibility="onchange")
    acceptance_date = fields.Date(string="Acceptance Date", track_visibility="onchange")
    # Completeness (R: A6)
    completeness_deadline = fields.Date(
        string="Complete By", readonly=True, index=True, copy=False)
    is_overdue = fields.Boolean(
        string="Completeness Overdue", compute="_compute_is_overdue", search="_search_is_overdue")
    # Return
    return_picking_id = fields.Many2one(
        "stock.picking", string="Return", readonly=True, copy=False)
    return_date = fields.Date(string="Returned On", readonly=True, copy=False)
    # Timeline (R: A5, A7)
    event_ids = fields.One2many(
        "aftersales.archive.event", "archive_id", string="Timeline", readonly=True)

    _sql_constraints = [
        ("lot_uniq", "unique(lot_id)", "A serial number has one archive only."),
    ]

    @api.depends("state", "completeness_deadline")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for archive in self:
            archive.is_overdue = (
                archive.state == "open" and bool(archive.completeness_deadline)
                and archive.completeness_deadline < today)

    def _search_is_overdue(self, operator, value):
        today = fields.Date.context_today(self)
        overdue = ["&", ("state", "=", "open"), ("completeness_deadline", "<", today)]
        if (operator == "=") == bool(value):
            return overdue
        return ["|", ("state", "!=", "open"), "|", ("completeness_deadline", "=", False),
                ("completeness_deadline", ">=", today)]

    @api.constrains("product_id", "lot_id")
    def _check_lot_product(self):
        """A unit's serial number is one of its product's (issue 13)."""
        for archive in self:
            if archive.lot_id.product_id != archive.product_id:
                raise ValidationError(_(
                    "Serial number %(serial)s is one of %(lot_product)s, not of "
                    "%(product)s.") % {
                        "serial": archive.lot_id.name,
                        "lot_product": archive.lot_id.product_id.display_name,
                        "product": archive.product_id.display_name})

    @api.multi
    def write(self, vals):
        self._check_delivery_facts_write(vals)
        return super().write(vals)

    @api.multi
    def unlink(self):
        # Business records are archived, never deleted.
        raise UserError(_("Unit archives cannot be deleted; archive them instead."))

    @api.multi
    def action_mark_complete(self):
        """R: A6 - the archive holds what the service team needs: the engineer closes it."""
        self._guard_ensure_role(ENGINEER)
        for archive in self:
            archive._ensure_complete()
        self._write_owned({"state": "complete"})
        return True

    @api.multi
    def action_reopen(self):
        """A complete archive is reopened for a correction by the after-sales manager only."""
        self._guard_ensure_role(MANAGER)
        if self.filtered(lambda a: a.state != "complete"):
            raise UserError(_("Only complete archives can be reopened."))
        self._write_owned({"state": "open"})
        return True

    def _check_delivery_facts_write(self, vals):
        """On an archive made by a delivery, product, serial, customer and delivery date are
        the delivery's: only the delivery registration changes them."""
        names = [name for name in DELIVERY_FACTS if name in vals and not self._guard_allowed(name)]
        if not names:
            return
        for archive in self.filtered("picking_id"):
            changed = [name for name in names
                       if archive._fields[name].convert_to_write(archive[name], archive)
                       != vals[name]]
            if changed:
                labels = ", ".join(sorted(
                    archive._fields[name].get_description(self.env)["string"]
                    for name in changed))
                raise UserError(_(
                    "%(fields)s of unit %(unit)s come from its delivery %(picking)s: they "
                    "change only with a delivery or a return.") % {
                        "fields": labels, "unit": archive.display_name,
                        "picking": archive.picking_id.name})

    def _ensure_complete(self):
        """R: A1, A6 - the archive must hold what the service team needs on site."""
        required = {
            "contact_id": _("Site Contact"),
            "site_address": _("Site Address"),
            "commissioning_date": _("Commissioning Date"),
            "configuration": _("Configuration"),
        }
        missing = [label for field, label in required.items() if not self[field]]
        if self.state == "returned":
            raise UserError(_("Unit %(unit)s was returned; it cannot be completed.")
                            % {"unit": self.display_name})
        if missing:
            raise UserError(_("Archive %(archive)s is missing: %(fields)s.") % {
                "archive": self.display_name, "fields": ", ".join(missing)})

    @api.multi
    def name_get(self):
        return [(a.id, "%s - %s" % (a.name, a.lot_id.name)) for a in self]

    @api.model
    def name_search(self, name="", args=None, operator="ilike", limit=100):
        args = list(args or [])
        if name:
            args = ["|", ("name", operator, name), ("lot_id.name", operator, name)] + args
        return self.search(args, limit=limit).name_get()

    # Delivery and return hooks (called from stock.move)

    @api.model
    def _register_deliveries(self, move_lines):
        """Create one archive per delivered serial; never twice (R: A1).

        A unit delivered again after a return reopens its archive for the new customer. A unit
        recorded by hand before its delivery gets the delivery's facts, its customer included:
        the delivered customer, not the one typed, owns it (and sees it on the portal).
        """
        lines = move_lines.filtered(lambda l: l.lot_id and l.qty_done > 0)
        # One archive per unit: skip mail.thread's create log and follower subscription
        # (the delivery message below says more, and costs a fraction of it per unit).
        quiet = self.with_context(tracking_disable=True)
        existing = self.with_context(active_test=False).search(
            [("lot_id", "in", lines.mapped("lot_id").ids)])
        by_lot = {archive.lot_id.id: archive for archive in existing}
        new_lots = set(lines.mapped("lot_id").ids) - set(by_lot)
        names = iter(self._next_names(len(new_lots)))
        # The stored computed fields of the new archives (and of what their creation adds)
        # are computed once for the whole delivery, not once per unit.
        with self.env.norecompute():
            for line in lines:
                archive = by_lot.get(line.lot_id.id)
                vals = self._prepare_archive_vals(line)
                if not archive:
                    vals["name"] = next(names)
                    archive = quiet._create_owned(vals).with_context(tracking_disable=False)
                    by_lot[line.lot_id.id] = archive
                    archive._log_event("delivery", _("Delivered by %s") % line.picking_id.name,
                                       picking=line.picking_id)
                elif archive.state == "returned":
                    vals.update(state="open", return_picking_id=False, return_date=False,
                                active=True)
                    archive._write_owned(vals)
                    archive._log_event(
                        "delivery", _("Delivered again by %s") % line.picking_id.name,
                        picking=line.picking_id)
                elif not archive.picking_id:
                    # recorded by hand: what the team typed stays unless the delivery knows it
                    archive._write_owned({name: value for name, value in vals.items() if value})
                    archive._log_event(
                        "delivery", _("Delivered by %s (unit recorded beforehand)")
                        % line.picking_id.name, picking=line.picking_id)
        self.recompute()
        return self.browse([a.id for a in by_lot.values()])

    @api.model
    def _register_returns(self, move_lines):
        """R: A2 - a unit coming back from the customer is marked returned."""
        lines = move_lines.filtered(lambda l: l.lot_id and l.qty_done > 0)
        archives = self.search([("lot_id", "in", lines.mapped("lot_id").ids),
                                ("state", "!=", "returned")])
        by_lot = {archive.lot_id.id: archive for archive in archives}
        for line in lines:
            archive = by_lot.get(line.lot_id.id)
            if not archive:
                continue
            archive._write_owned({
                "state": "returned",
                "return_picking_id": line.picking_id.id,
                "return_date": line.move_id.date,
            })
            archive._log_event("return", _("Returned by %s") % line.picking_id.name,
                               picking=line.picking_id)
        return archives

    def _log_event(self, event_type, description, picking=False):
        self.ensure_one()
        self.env["aftersales.archive.event"]._create_owned({
            "archive_id": self.id,
            "event_type": event_type,
            "name": description,
            "picking_id": picking and picking.id,
        })
        self.message_post(body=description, subtype="mail.mt_note")

    @api.model
    def _format_site_address(self, partner):
        """One readable line, whatever the country's address format (China's runs together)."""
        city = " ".join(filter(None, [partner.zip, partner.city]))
        parts = [partner.street, partner.street2, city, partner.state_id.name,
                 partner.country_id.name]
        return ", ".join(part for part in parts if part) or False

    @api.model
    def _prepare_archive_vals(self, move_line):
        picking = move_line.picking_id
        move = move_line.move_id
        contact = picking.partner_id or move.partner_id
        delivery_date = fields.Date.to_string(fields.Datetime.from_string(move.date).date())
        company = move.company_id or self.env.user.company_id
        deadline = add_working_days(
            fields.Date.from_string(delivery_date), company.aftersales_archive_deadline_days)
        sale_line = move.sale_line_id
        return {
            "product_id": move_line.product_id.id,
            "lot_id": move_line.lot_id.id,
            "partner_id": contact.commercial_partner_id.id,
            "contact_id": contact.id,
            "site_address": self._format_site_address(contact),
            "sale_order_id": sale_line.order_id.id or picking.sale_id.id,
            "picking_id": picking.id,
            "delivery_date": delivery_date,
            "completeness_deadline": fields.Date.to_string(deadline),
            "company_id": company.id,
            "service_terms": sale_line.order_id.note or False,
        }
