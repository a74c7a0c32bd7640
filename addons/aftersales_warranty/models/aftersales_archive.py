from odoo import api, fields, models, _
from odoo.exceptions import AccessError, UserError

from odoo.addons.aftersales_base.models.aftersales_guard_mixin import GuardExtension

MANAGER = "aftersales_base.group_aftersales_manager"


class AftersalesArchive(models.Model):
    _inherit = "aftersales.archive"

    # the unit's contracts are documents of their own, with their own rights (the manager's):
    # this list changes them as they are changed directly, whatever the unit's state
    _guard_free_fields = GuardExtension("warranty_ids")

    # Warranty (R: W1, W2, W6)
    warranty_ids = fields.One2many("aftersales.warranty", "archive_id", string="Warranties")
    warranty_end_date = fields.Date(
        string="Covered Until", compute="_compute_warranty_end_date",
        help="End of the last standard or extended contract of this unit.")
    warranty_count = fields.Integer(compute="_compute_warranty_end_date", string="Contracts")

    @api.depends("warranty_ids.date_end", "warranty_ids.state")
    def _compute_warranty_end_date(self):
        for archive in self:
            contracts = archive.warranty_ids.filtered(lambda w: w.state != "cancel")
            archive.warranty_end_date = max(contracts.mapped("date_end") or [False])
            archive.warranty_count = len(contracts)

    @api.model
    def create(self, vals):
        archive = super().create(vals)
        if not self._context.get("aftersales_defer_standard_warranty"):
            archive._create_standard_warranty()
        return archive

    @api.model
    def _register_deliveries(self, move_lines):
        """R: W1 - the standard contracts of a delivery are created together, after its units."""
        archives = super(
            AftersalesArchive, self.with_context(aftersales_defer_standard_warranty=True),
        )._register_deliveries(move_lines).with_context(aftersales_defer_standard_warranty=False)
        # Like the archives: no creation log per contract (the unit lists its contracts).
        archives.with_context(tracking_disable=True)._create_standard_warranty()
        return archives

    @api.multi
    def write(self, vals):
        if "acceptance_date" in vals:
            self._ensure_acceptance_date_change(
                vals["acceptance_date"] or False, vals.get("delivery_date"))
        res = super().write(vals)
        if {"delivery_date", "acceptance_date"} & set(vals):
            # R: W2 - the repair window follows the acceptance date once it is known.
            # sudo: whoever records the acceptance date need not edit contracts.
            self.env["aftersales.warranty"].sudo().search([
                "|", ("archive_id", "in", self.ids), ("transferred_from_id", "in", self.ids),
            ])._refresh_standard_dates()
        return res

    def _ensure_acceptance_date_change(self, date, delivery_date=None):
        """R: W2, W3 - the free repair window runs from the acceptance date (验收): it is
        recorded once, between the delivery and today; once recorded, or once the unit's
        warranty has ended, only the after-sales manager changes it (a new acceptance date
        never revives an expired warranty behind the manager's back)."""
        today = fields.Date.context_today(self)
        is_manager = self.env.user.has_group(MANAGER)
        for archive in self:
            if date == (archive.acceptance_date or False):
                continue
            if date and date > today:
                raise UserError(_("Unit %(unit)s cannot be accepted in the future "
                                  "(%(date)s).") % {"unit": archive.display_name, "date": date})
            delivery = delivery_date or archive.delivery_date
            if date and delivery and date < delivery:
                raise UserError(_(
                    "Unit %(unit)s was delivered on %(delivery)s: it cannot be accepted "
                    "before (%(date)s).") % {"unit": archive.display_name,
                                             "delivery": delivery, "date": date})
            if is_manager:
                continue
            if archive.acceptance_date:
                raise AccessError(_(
                    "Unit %(unit)s was accepted on %(date)s: only the after-sales manager "
                    "corrects its acceptance date.") % {
                    "unit": archive.display_name, "date": archive.acceptance_date})
            ended = archive.warranty_ids.filtered(
                lambda w: w.contract_type == "standard" and w.state != "cancel"
                and w.date_end and w.date_end < today)
            if ended:
                raise AccessError(_(
                    "The warranty of unit %(unit)s ended on %(end)s: only the after-sales "
                    "manager records an acceptance date now, which never revives it by "
                    "itself.") % {"unit": archive.display_name, "end": ended[0].date_end})

    # Public API (used by aftersales_parts)

    @api.multi
    def _is_under_extended_warranty(self, date=None):
        """True when an extended (paid) contract of this unit is valid on `date` (R: W6, P5)."""
        self.ensure_one()
        date = date or fields.Date.context_today(self)
        return self.warranty_ids.filtered(
            lambda w: w.contract_type == "extended")._is_valid_on(date)

    # Business methods

    def _get_warranty_policy(self):
        self.ensure_one()
        return self.env["aftersales.warranty.policy"]._find_for_product(self.product_id)

    def _get_invoice_date(self):
        """The first validated invoice date of the unit's sale order, if any."""
        invoices = self.sale_order_id.invoice_ids.filtered(
            lambda i: i.type == "out_invoice" and i.state in ("open", "paid") and i.date_invoice)
        return min(invoices.mapped("date_invoice") or [False])

    def _get_cover_end(self):
        """Last day covered by a (non cancelled) contract of this unit, False if none."""
        self.ensure_one()
        contracts = self.warranty_ids.filtered(lambda w: w.state != "cancel")
        return max(contracts.mapped("date_end") or [False])

    @api.multi
    def _create_standard_warranty(self):
        """One standard contract per unit (R: W1); idempotent.

        Batched for a delivery: one policy lookup per product, the numbers drawn together and
        the stored computed fields computed once for all contracts.
        """
        Warranty = self.env["aftersales.warranty"]
        existing = Warranty.search([("archive_id", "in", self.ids),
                                    ("contract_type", "=", "standard")])
        missing = self - existing.mapped("archive_id")
        Policy = self.env["aftersales.warranty.policy"]
        policies = {product: Policy._find_for_product(product)
                    for product in missing.mapped("product_id")}
        vals_list = [Warranty._prepare_standard_vals(archive, policies[archive.product_id])
                     for archive in missing if policies.get(archive.product_id)]
        created = Warranty
        names = iter(Warranty._next_names(len(vals_list)))
        with self.env.norecompute():
            for vals in vals_list:
                created |= Warranty.create(dict(vals, name=next(names)))
        self.recompute()
        return existing | created

    @api.multi
    def _transfer_warranties_to(self, new_archive):
        """Whole-unit replacement: the new serial keeps the original warranty dates (R: W3, W4).

        The contracts of this unit move to `new_archive`; the standard contract created for
        the replacement unit at its delivery is cancelled, so no period is extended or restarted.
        """
        self.ensure_one()
        if new_archive == self:
            raise UserError(_("Choose another unit as the replacement."))
        if new_archive.product_id != self.product_id:
            raise UserError(_("The replacement unit %(new)s is not a %(product)s.") % {
                "new": new_archive.display_name, "product": self.product_id.display_name})
        contracts = self.warranty_ids.filtered(lambda w: w.state != "cancel")
        if not contracts:
            raise UserError(_("Unit %(unit)s has no warranty to transfer.") % {
                "unit": self.display_name})
        own = new_archive.warranty_ids.filtered(lambda w: w.state != "cancel")
        own.write({"state": "cancel", "note": _(
            "Replaced by the transferred warranty of %(unit)s.") % {"unit": self.display_name}})
        for contract in contracts:
            contract.write({"archive_id": new_archive.id,
                            "transferred_from_id": contract.transferred_from_id.id or self.id})
        message = _("Warranty transferred from %(old)s to %(new)s; dates kept.") % {
            "old": self.display_name, "new": new_archive.display_name}
        self._log_event("part_replacement", message)
        new_archive._log_event("part_replacement", message)
        return contracts
