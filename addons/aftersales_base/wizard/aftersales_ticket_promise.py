from odoo import api, fields, models


class AftersalesTicketPromise(models.TransientModel):
    """The hotline promises the customer an answer by a given time (R: S2, K3)."""

    _name = "aftersales.ticket.promise"
    _description = "Promise an Answer Time"

    ticket_id = fields.Many2one("aftersales.ticket", required=True, ondelete="cascade")
    date_reported = fields.Datetime(related="ticket_id.date_reported", readonly=True)
    answer_deadline = fields.Datetime(string="Answer Promised By", required=True)
    note = fields.Text()

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        ticket = self.env["aftersales.ticket"].browse(self.env.context.get("active_id"))
        if ticket:
            values.update({"ticket_id": ticket.id, "answer_deadline": ticket.answer_deadline})
        return values

    @api.multi
    def action_confirm(self):
        """The ticket checks the role, the state and the time (`_promise_answer`)."""
        self.ensure_one()
        self.ticket_id._promise_answer(self.answer_deadline, self.note)
        return {"type": "ir.actions.act_window_close"}
