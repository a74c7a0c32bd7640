from odoo import api, fields, models, _
from odoo.exceptions import UserError


class AftersalesArchive(models.Model):
    _inherit = "aftersales.archive"

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
        archive._create_standard_warranty()
        return archive

    @api.multi
    def write(self, vals):
        res = super().write(vals)
        if {"delivery_date", "acceptance_date"} & set(vals):
            # R: W2 - the repair window follows the acceptance date once it is known.
            # sudo: whoever records the acceptance date need not edit contracts.
            self.env["aftersales.warranty"].sudo().search([
                "|", ("archive_id", "in", self.ids), ("transferred_from_id", "in", self.ids),
            ])._refresh_standard_dates()
        return res

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
        """One standard contract per unit, created with its archive; idempotent."""
        Warranty = self.env["aftersales.warranty"]
        existing = Warranty.search([("archive_id", "in", self.ids),
                                    ("contract_type", "=", "standard")])
        for archive in self - existing.mapped("archive_id"):
            policy = archive._get_warranty_policy()
            if policy:
                Warranty.create(Warranty._prepare_standard_vals(archive, policy))._update_state()
        return Warranty.search([("archive_id", "in", self.ids),
                                ("contract_type", "=", "standard")])

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
