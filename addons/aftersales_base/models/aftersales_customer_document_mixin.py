from odoo import fields, models


class AftersalesCustomerDocumentMixin(models.AbstractModel):
    """A document its customer reads outside the backend: on the portal, by its link, in an
    e-mail or on paper. It is shown in the customer's language and time zone, whoever renders
    it (issue 15): an administrator in Brussels prints the record of a customer in Suzhou with
    Suzhou's time and Chinese words."""

    _name = "aftersales.customer.document.mixin"
    _description = "After-Sales Document Read by Its Customer"

    # read by the e-mail templates, whose sandbox calls no private method
    customer_lang = fields.Char(
        string="Customer's Language", compute="_compute_customer_reading")
    customer_tz = fields.Char(
        string="Customer's Time Zone", compute="_compute_customer_reading")

    def _compute_customer_reading(self):
        for document in self:
            reading = document._customer_reading_context()
            document.customer_lang = reading["lang"]
            document.customer_tz = reading["tz"]

    def _customer_reader(self):
        """The person who reads the document: its contact, else its customer."""
        self.ensure_one()
        contact = "contact_id" in self._fields and self.contact_id
        return contact or self.partner_id

    def _customer_reading_context(self):
        if not self:
            return self.env["res.partner"]._aftersales_reading_context()
        return self[:1]._customer_reader()._aftersales_reading_context()

    def _customer_lang(self):
        return self._customer_reading_context()["lang"]

    def _for_customer(self):
        """The document as its customer reads it. QWeb renders the fields of a record marked
        so in the record's own language and zone (models/ir_qweb.py)."""
        return self.with_context(aftersales_reader=True, **self._customer_reading_context())
