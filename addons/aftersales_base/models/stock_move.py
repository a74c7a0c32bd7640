from odoo import api, models


class StockMove(models.Model):
    _inherit = "stock.move"

    @api.multi
    def _action_done(self):
        done = super()._action_done()
        done._aftersales_update_archives()
        return done

    def _aftersales_update_archives(self):
        """R: A1, A6 - validated deliveries create unit archives; returns mark them returned."""
        tracked = self.filtered(
            lambda m: m.state == "done" and m.product_id.aftersales_tracked)
        if not tracked:
            return
        deliveries = tracked.filtered(
            lambda m: m.location_dest_id.usage == "customer" and m.location_id.usage != "customer")
        returns = tracked.filtered(
            lambda m: m.location_id.usage == "customer" and m.location_dest_id.usage != "customer")
        # sudo: warehouse staff validate deliveries without being after-sales users.
        archives = self.env["aftersales.archive"].sudo()
        if deliveries:
            archives._register_deliveries(deliveries.mapped("move_line_ids"))
        if returns:
            archives._register_returns(returns.mapped("move_line_ids"))
