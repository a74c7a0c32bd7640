from odoo import api, fields, models


class AftersalesTicketCancel(models.TransientModel):
    """Cancel service requests with a reason."""

    _name = "aftersales.ticket.cancel"
    _description = "Cancel Service Request"

    ticket_ids = fields.Many2many("aftersales.ticket", string="Service Requests", required=True)
    reason = fields.Text(required=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "aftersales.ticket":
            values["ticket_ids"] = [(6, 0, self.env.context.get("active_ids") or [])]
        return values

    @api.multi
    def action_confirm(self):
        self.ensure_one()
        self.ticket_ids._cancel(self.reason)
        return {"type": "ir.actions.act_window_close"}
