from odoo import api, fields, models, _
from odoo.exceptions import ValidationError


class ProductTemplate(models.Model):
    _inherit = "product.template"

    # R: P1, P3 - parts kept in the after-sales parts warehouse.
    aftersales_spare_part = fields.Boolean(
        string="After-sales spare part", index=True,
        help="This product can be requested as a spare part by the after-sales service.")
    # R: P2 - the manufacturer wants the defective core back.
    core_return_required = fields.Boolean(
        string="Core must be returned",
        help="When this part is issued, the defective part must come back from the customer "
             "and be shipped back to the vendor.")
    core_return_days = fields.Integer(
        string="Days to return the core", default=30,
        help="Days after the issue of the part within which the customer returns the core.")

    @api.constrains("core_return_required", "core_return_days")
    def _check_core_return_days(self):
        for template in self.filtered("core_return_required"):
            if template.core_return_days <= 0:
                raise ValidationError(_(
                    "Part %(part)s: the days to return the core must be positive."
                ) % {"part": template.display_name})
