from odoo import api, models


class AccountInvoice(models.Model):
    _inherit = "account.invoice"

    @api.multi
    def invoice_validate(self):
        res = super().invoice_validate()
        # R: W1 - policies counting the replacement window from the invoice date.
        orders = self.mapped("invoice_line_ids.sale_line_ids.order_id")
        if orders:
            archives = self.env["aftersales.archive"].sudo().search(
                [("sale_order_id", "in", orders.ids)])
            # sudo: accountants validate invoices without being after-sales users.
            self.env["aftersales.warranty"].sudo().search([
                ("archive_id", "in", archives.ids), ("contract_type", "=", "standard"),
                ("state", "!=", "cancel"),
            ])._refresh_standard_dates()
        return res
