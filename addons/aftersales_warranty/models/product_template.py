from odoo import api, fields, models, _
from odoo.exceptions import ValidationError


class ProductTemplate(models.Model):
    _inherit = "product.template"

    # Extended warranty sold as a service (过保合同). R: W6
    aftersales_warranty_extension = fields.Boolean(
        string="Extended Warranty", index=True,
        help="Selling this service on a line that names a unit creates an extended warranty "
             "contract for that unit when the order is confirmed.")
    aftersales_warranty_months = fields.Integer(string="Extension (months)", default=12)
    aftersales_warranty_closed = fields.Boolean(
        string="Closed for New Contracts",
        help="No new extended contracts can be sold; the contracts already sold are honoured.")
    aftersales_policy_ids = fields.One2many(
        "aftersales.warranty.policy", "product_tmpl_id", string="Warranty Policies")

    @api.constrains("aftersales_warranty_extension", "aftersales_warranty_months", "type")
    def _check_aftersales_warranty_extension(self):
        for template in self.filtered("aftersales_warranty_extension"):
            if template.type != "service" or template.aftersales_warranty_months <= 0:
                raise ValidationError(_(
                    "Extended warranty %(product)s must be a service with a positive number "
                    "of months.") % {"product": template.display_name})
