from datetime import timedelta

from odoo import api, fields, models, _
from odoo.exceptions import UserError, ValidationError

from odoo.addons.aftersales_base.tools import in_batches, search_in_batches

from .aftersales_warranty_policy import add_months


class AftersalesWarranty(models.Model):
    """A warranty contract of a unit: the standard one, or a paid extension (过保合同). R: W1-W7."""

    _name = "aftersales.warranty"
    _description = "Warranty Contract"
    _inherit = ["aftersales.sequence.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, id desc"

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    state = fields.Selection(
        [("active", "Active"), ("expired", "Expired"), ("cancel", "Cancelled")],
        default="active", required=True, readonly=True, copy=False, index=True,
        track_visibility="onchange")
    contract_type = fields.Selection(
        [("standard", "Standard"), ("extended", "Extended")], string="Type",
        required=True, default="standard", readonly=True, index=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.user.company_id, index=True)
    # Unit
    archive_id = fields.Many2one(
        "aftersales.archive", string="Unit", required=True, index=True, ondelete="restrict",
        track_visibility="onchange")
    lot_id = fields.Many2one(related="archive_id.lot_id", string="Serial Number", readonly=True)
    product_id = fields.Many2one(
        related="archive_id.product_id", string="Product", readonly=True, store=True)
    partner_id = fields.Many2one(
        related="archive_id.partner_id", string="Customer", readonly=True, store=True, index=True)
    transferred_from_id = fields.Many2one(
        "aftersales.archive", string="Transferred From", readonly=True, index=True,
        help="The replaced unit whose dates this contract keeps.")
    # Terms
    policy_id = fields.Many2one("aftersales.warranty.policy", string="Policy", readonly=True)
    date_start = fields.Date(string="Start", required=True, index=True, track_visibility="onchange")
    date_end = fields.Date(string="End", required=True, index=True, track_visibility="onchange")
    replacement_date_start = fields.Date(string="Replacement From", readonly=True)
    replacement_date_end = fields.Date(string="Replacement Until", readonly=True)
    # Sale (R: W6)
    sale_line_id = fields.Many2one(
        "sale.order.line", string="Sale Order Line", readonly=True, index=True, copy=False)
    sale_order_id = fields.Many2one(
        related="sale_line_id.order_id", string="Sale Order", readonly=True, store=True)
    # Renewal (R: W7)
    reminder_date = fields.Date(string="Reminder Sent On", readonly=True, copy=False)
    renewal_order_id = fields.Many2one(
        "sale.order", string="Renewal Quotation", readonly=True, copy=False)
    note = fields.Text()

    _sql_constraints = [
        ("dates_check", "CHECK (date_end >= date_start)",
         "A warranty cannot end before it starts."),
    ]

    @api.constrains("archive_id", "contract_type", "state")
    def _check_one_standard(self):
        standards = self.filtered(lambda w: w.contract_type == "standard" and w.state != "cancel")
        if not standards:
            return
        groups = self.read_group(
            [("archive_id", "in", standards.mapped("archive_id").ids),
             ("contract_type", "=", "standard"), ("state", "!=", "cancel")],
            ["archive_id"], ["archive_id"])
        if any(group["archive_id_count"] > 1 for group in groups):
            raise ValidationError(_("A unit has one standard warranty only."))

    @api.multi
    def unlink(self):
        raise UserError(_("Warranty contracts cannot be deleted; cancel them instead."))

    # Actions

    @api.multi
    def action_cancel(self):
        self.write({"state": "cancel"})

    @api.multi
    def action_reactivate(self):
        if self.filtered(lambda w: w.state != "cancel"):
            raise UserError(_("Only cancelled contracts can be reactivated."))
        self.write({"state": "active"})
        self._update_state()

    # Business methods

    def _is_valid_on(self, date):
        """True when one of these contracts covers `date`."""
        return any(w.state != "cancel" and w.date_start <= date <= w.date_end for w in self)

    @api.multi
    def _update_state(self):
        """Bring the state in line with the end date (cancelled ones stay cancelled)."""
        live = self.filtered(lambda w: w.state != "cancel")
        for state in ("expired", "active"):
            live.filtered(lambda w: w.state != state and w._state_for(w.date_end) == state) \
                .write({"state": state})

    @api.model
    def _state_for(self, date_end):
        """Active until the end date, expired afterwards."""
        return "expired" if date_end < fields.Date.context_today(self) else "active"

    @api.multi
    def _refresh_standard_dates(self):
        """Recompute the dates of standard contracts from their policy and (original) unit.

        Called when the delivery, acceptance or invoice date becomes known, never by a repair
        or a replacement (R: W3): those do not extend the period.
        """
        for contract in self.filtered(lambda w: w.contract_type == "standard" and w.policy_id):
            source = contract.transferred_from_id or contract.archive_id
            vals = contract.policy_id._standard_dates(source)
            vals = {k: v for k, v in vals.items() if k in contract._fields}
            if any(contract[k] != v for k, v in vals.items()):
                contract.write(vals)
        self._update_state()

    @api.model
    def _prepare_standard_vals(self, archive, policy):
        vals = {
            "archive_id": archive.id,
            "contract_type": "standard",
            "policy_id": policy.id,
            "company_id": archive.company_id.id,
        }
        dates = policy._standard_dates(archive)
        vals.update({k: v for k, v in dates.items() if k in self._fields})
        # Born in its state: a unit delivered long ago (data migration) gets an expired one.
        vals["state"] = self._state_for(vals["date_end"])
        return vals

    @api.model
    def _prepare_extended_vals(self, sale_line, date_signed):
        """An extended contract starts where the unit's previous cover ends (R: W6),
        or on the signing date when the cover has already lapsed."""
        archive = sale_line.aftersales_archive_id
        months = sale_line.product_id.aftersales_warranty_months * max(
            int(sale_line.product_uom_qty), 1)
        start = date_signed
        last_end = archive._get_cover_end()
        if last_end:
            next_day = fields.Date.to_string(
                fields.Date.from_string(last_end) + timedelta(days=1))
            start = max(next_day, date_signed)
        return {
            "archive_id": archive.id,
            "contract_type": "extended",
            "sale_line_id": sale_line.id,
            "company_id": sale_line.order_id.company_id.id,
            "date_start": start,
            "date_end": add_months(start, months),
        }

    # Renewal job (R: W7)

    @api.model
    def _cron_expiry(self):
        """Daily: update states, remind customers before the end, prepare renewal quotations.

        Idempotent: a contract reminded once (reminder_date) is never reminded again.
        """
        self._cron_update_states()
        for company in self.env["res.company"].search([]):
            self._send_expiry_reminders(company)

    @api.model
    def _cron_update_states(self):
        """Expire the contracts that ended, reactivate those prolonged: only the ones whose
        state changes are read, in committed batches (issue 8: 100,000 contracts)."""
        today = fields.Date.context_today(self)
        for domain, state in (([("state", "=", "active"), ("date_end", "<", today)], "expired"),
                              ([("state", "=", "expired"), ("date_end", ">=", today)], "active")):
            for batch in search_in_batches(self, domain):
                batch.write({"state": state})

    @api.model
    def _send_expiry_reminders(self, company):
        today = fields.Date.from_string(fields.Date.context_today(self))
        limit = fields.Date.to_string(
            today + timedelta(days=company.aftersales_warranty_reminder_days))
        contracts = self.search([
            ("company_id", "=", company.id), ("state", "=", "active"),
            ("reminder_date", "=", False), ("date_end", "<=", limit),
        ])
        # a unit whose cover already continues after this contract needs no reminder
        later = self.search([
            ("archive_id", "in", contracts.mapped("archive_id").ids),
            ("state", "=", "active")])
        last_start = {}
        for contract in later:
            unit = contract.archive_id.id
            last_start[unit] = max(last_start.get(unit, ""), contract.date_start)
        to_remind = contracts.filtered(lambda w: not last_start[w.archive_id.id] > w.date_end)
        for batch in in_batches(to_remind):
            for contract in batch:
                contract._send_expiry_reminder()

    def _send_expiry_reminder(self):
        self.ensure_one()
        order = self._create_renewal_quotation()
        template = self.env.ref("aftersales_warranty.mail_template_warranty_expiry",
                                raise_if_not_found=False)
        if template:
            self.message_post_with_template(template.id, composition_mode="comment")
        responsible = self.archive_id.sale_order_id.user_id or self.env.user
        self._aftersales_schedule_activity(
            self.env.ref("mail.mail_activity_data_todo"), responsible,
            _("Propose the renewal of %(contract)s") % {"contract": self.name},
            deadline=self.date_end)
        self.write({"reminder_date": fields.Date.context_today(self),
                    "renewal_order_id": order.id})

    def _create_renewal_quotation(self):
        """A draft quotation of the renewal product for this unit (R: W7)."""
        self.ensure_one()
        policy = self.policy_id or self.archive_id._get_warranty_policy()
        product = policy.extension_product_id
        if not product or product.aftersales_warranty_closed:
            return self.env["sale.order"]
        return self.env["sale.order"].create(self._prepare_renewal_order_vals(product))

    def _prepare_renewal_order_vals(self, product):
        return {
            "partner_id": self.archive_id.partner_id.id,
            "company_id": self.company_id.id,
            "origin": self.name,
            "order_line": [(0, 0, {
                "product_id": product.id,
                "product_uom_qty": 1.0,
                "aftersales_archive_id": self.archive_id.id,
            })],
        }
