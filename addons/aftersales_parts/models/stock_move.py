from odoo import fields, models


class StockMove(models.Model):
    _inherit = "stock.move"

    aftersales_parts_line_id = fields.Many2one(
        "aftersales.parts.request.line", string="Parts Request Line", index=True, readonly=True,
        copy=False)
    aftersales_core_return_id = fields.Many2one(
        "aftersales.core.return", string="Core Return", index=True, readonly=True, copy=False)

    def _split(self, qty, restrict_partner_id=False):
        # A backorder keeps serving the same request line.
        new_move_id = super()._split(qty, restrict_partner_id=restrict_partner_id)
        if self.aftersales_parts_line_id and new_move_id != self.id:
            self.browse(new_move_id).aftersales_parts_line_id = self.aftersales_parts_line_id
        return new_move_id

    def _action_assign(self):
        """R: P5, W6 - reserve no refurbished lot for a request that may not use them."""
        restricted = self.filtered(
            lambda m: m.aftersales_parts_line_id
            and not m.aftersales_parts_line_id.request_id.refurbished_allowed)
        if restricted:
            super(StockMove, restricted.with_context(
                aftersales_exclude_refurbished=True))._action_assign()
        return super(StockMove, self - restricted)._action_assign()

    def _action_done(self):
        moves = super()._action_done()
        # Bookkeeping of the after-sales documents, whoever validates the transfer.
        done = moves.filtered(lambda m: m.state == "done").sudo()
        done.mapped("aftersales_parts_line_id")._register_moves_done()
        done.mapped("aftersales_core_return_id")._register_moves_done(done)
        return moves


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    lot_is_refurbished = fields.Boolean(
        related="lot_id.is_refurbished", string="Refurbished", readonly=True)
