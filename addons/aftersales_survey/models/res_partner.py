from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    # R: V3, V8 - key / high-volume customers get the care programme.
    aftersales_key_customer = fields.Boolean(
        string="Key Customer", index=True,
        help="Key or high-volume customer: visited at least twice a year.")
