from odoo import api, fields, models, _
from odoo.exceptions import UserError, ValidationError


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    # R: W6 - the unit an extended warranty line covers.
    aftersales_archive_id = fields.Many2one(
        "aftersales.archive", string="Unit", index=True,
        help="The unit covered by this extended warranty.")
    aftersales_warranty_ids = fields.One2many(
        "aftersales.warranty", "sale_line_id", string="Warranty Contracts", readonly=True)

    @api.constrains("aftersales_archive_id", "product_id")
    def _check_aftersales_archive_id(self):
        for line in self.filtered("aftersales_archive_id"):
            if not line.product_id.aftersales_warranty_extension:
                raise ValidationError(_(
                    "Only extended warranty products can name a unit (line %(line)s).") % {
                    "line": line.name})

    @api.multi
    def _ensure_warranty_extension_sellable(self):
        """R: W6 - a closed extension cannot be sold; each line names a unit of the customer."""
        for line in self:
            product = line.product_id
            if product.aftersales_warranty_closed:
                raise UserError(_(
                    "The extended warranty %(product)s is closed for new contracts; it cannot "
                    "be sold any more (order %(order)s).") % {
                    "product": product.display_name, "order": line.order_id.name})
            if not line.aftersales_archive_id:
                raise UserError(_(
                    "Line %(line)s of order %(order)s sells an extended warranty: choose the "
                    "unit it covers.") % {"line": line.name, "order": line.order_id.name})
            customer = line.order_id.partner_id.commercial_partner_id
            if line.aftersales_archive_id.partner_id.commercial_partner_id != customer:
                raise UserError(_(
                    "Unit %(unit)s does not belong to %(customer)s.") % {
                    "unit": line.aftersales_archive_id.display_name,
                    "customer": customer.display_name})

    @api.multi
    def _create_extended_warranties(self):
        """One extended contract per line, once (R: W6)."""
        Warranty = self.env["aftersales.warranty"]
        for line in self.filtered(lambda l: not l.aftersales_warranty_ids):
            # R: W6 - effective when signed: the order's confirmation day.
            Warranty.create(Warranty._prepare_extended_vals(
                line, fields.Date.context_today(line)))
        return self.mapped("aftersales_warranty_ids")
