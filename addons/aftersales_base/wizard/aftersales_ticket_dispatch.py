from odoo import api, fields, models


class AftersalesTicketDispatch(models.TransientModel):
    """Dispatch an engineer on site: confirm address, contact and phone (R: S3, S4)."""

    _name = "aftersales.ticket.dispatch"
    _description = "Dispatch an Engineer"

    ticket_id = fields.Many2one("aftersales.ticket", required=True, ondelete="cascade")
    partner_id = fields.Many2one(related="ticket_id.partner_id", readonly=True)
    site_address = fields.Text(required=True)
    contact_id = fields.Many2one("res.partner", string="Contact", required=True)
    contact_phone = fields.Char(string="Phone", required=True)
    engineer_id = fields.Many2one(
        "res.users", string="Engineer", required=True,
        domain=lambda self: [("share", "=", False), ("groups_id", "in", self.env.ref(
            "aftersales_base.group_aftersales_engineer").id)],
        help="An internal user of the Service Engineer group (R: S3).")
    appointment_date = fields.Datetime(string="Appointment", required=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        ticket = self.env["aftersales.ticket"].browse(
            self.env.context.get("active_id") or values.get("ticket_id"))
        if ticket:
            values.update(self._prepare_defaults(ticket))
        return values

    @api.model
    def _prepare_defaults(self, ticket):
        contact = ticket.contact_id or ticket.archive_id.contact_id
        address = ticket.site_address or ticket.archive_id.site_address or (
            contact or ticket.partner_id)._display_address(without_company=True)
        return {
            "ticket_id": ticket.id,
            "site_address": address,
            "contact_id": contact.id,
            "contact_phone": ticket.contact_phone or contact.mobile or contact.phone,
            "engineer_id": ticket.engineer_id.id,
            "appointment_date": ticket.appointment_date,
        }

    @api.onchange("contact_id")
    def _onchange_contact_id(self):
        if self.contact_id:
            self.contact_phone = self.contact_id.mobile or self.contact_id.phone

    @api.multi
    def action_confirm(self):
        """The ticket checks the role, the engineer and the appointment (`_dispatch`)."""
        self.ensure_one()
        # a dispatched request gets another engineer or appointment; others are dispatched
        step = self.ticket_id._reschedule if self.ticket_id.state == "dispatched" \
            else self.ticket_id._dispatch
        step(self.engineer_id, self.appointment_date, self.site_address, self.contact_id,
             self.contact_phone)
        return {"type": "ir.actions.act_window_close"}
