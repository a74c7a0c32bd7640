from odoo import api, fields, models, _
from odoo.exceptions import ValidationError


class ProductTemplate(models.Model):
    _inherit = "product.template"

    # R: A1 - every delivered unit of such a product gets its own archive.
    aftersales_tracked = fields.Boolean(
        string="After-sales tracked",
        help="Each delivered unit (serial number) gets an after-sales archive.",
    )

    @api.onchange("aftersales_tracked")
    def _onchange_aftersales_tracked(self):
        if self.aftersales_tracked:
            self.type = "product"
            self.tracking = "serial"

    @api.constrains("aftersales_tracked", "tracking", "type")
    def _check_aftersales_tracked(self):
        for template in self.filtered("aftersales_tracked"):
            if template.type != "product" or template.tracking != "serial":
                raise ValidationError(_(
                    "Product %(product)s is after-sales tracked: it must be a stockable "
                    "product tracked by unique serial number."
                ) % {"product": template.display_name})
