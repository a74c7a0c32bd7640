from odoo import api, fields, models, _
from odoo.exceptions import ValidationError

from .aftersales_guard_mixin import GuardExtension


class AftersalesTicket(models.Model):
    """Service records and the customer portal on the service request."""

    _inherit = "aftersales.ticket"
    # Customers comment on their tickets from the portal, where they have read access only.
    _mail_post_access = "read"

    # the documents made by their own flows: not created or moved by editing this list
    _guard_owned_fields = GuardExtension("service_record_ids")

    service_record_ids = fields.One2many(
        "aftersales.service.record", "ticket_id", string="Service Records")
    service_record_count = fields.Integer(
        string="Service Record Count", compute="_compute_service_record_count")

    @api.multi
    def _compute_service_record_count(self):
        data = self.env["aftersales.service.record"].read_group(
            [("ticket_id", "in", self.ids)], ["ticket_id"], ["ticket_id"])
        counts = {row["ticket_id"][0]: row["ticket_id_count"] for row in data}
        for ticket in self:
            ticket.service_record_count = counts.get(ticket.id, 0)

    @api.constrains("partner_id")
    def _check_service_records_customer(self):
        """R: S5, S9 - the service records of a request are the same customer's (issue 13).

        The ticket side of the rule: a request that has records does not move to another
        customer (the record checks its own ticket when it is written).
        """
        for ticket in self:
            customer = ticket.partner_id.commercial_partner_id
            others = ticket.service_record_ids.filtered(
                lambda r: r.partner_id.commercial_partner_id != customer)
            if others:
                raise ValidationError(_(
                    "Service request %(ticket)s has service records of %(other)s: it cannot "
                    "belong to %(customer)s.") % {
                    "ticket": ticket.name, "other": others[0].partner_id.display_name,
                    "customer": ticket.partner_id.display_name})

    @api.multi
    def _compute_portal_url(self):
        for ticket in self:
            ticket.portal_url = "/my/tickets/%s" % ticket.id

    @api.multi
    def action_view_service_records(self):
        self.ensure_one()
        action = self.env.ref("aftersales_base.aftersales_service_record_action").read()[0]
        action["domain"] = [("ticket_id", "=", self.id)]
        action["context"] = {"default_ticket_id": self.id,
                             "default_archive_id": self.archive_id.id,
                             "default_partner_id": self.partner_id.commercial_partner_id.id,
                             "default_contact_id": self.contact_id.id,
                             "default_engineer_id": (self.engineer_id or self.env.user).id}
        return action
