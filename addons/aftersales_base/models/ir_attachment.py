from odoo import fields, models


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    # Issue 14: files customers send are shown to staff; only photos open in the browser.
    aftersales_customer_upload = fields.Boolean(
        string="Sent by a Customer", readonly=True, copy=False,
        help="Sent from the customer portal: checked by its content and name, and served as a "
             "download unless it is a photo.")
