from odoo.addons.aftersales_base.tests.common import AftersalesCase


class WarrantyCase(AftersalesCase):
    """A machine with a 12-month replacement / 24-month repair policy, an extended warranty
    service, the roles that work on repairs and the people who approve them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Policy = cls.env["aftersales.warranty.policy"]
        cls.Warranty = cls.env["aftersales.warranty"]
        cls.extension = cls.env["product.product"].create({
            "name": "Extended Warranty 12 Months", "type": "service", "list_price": 8000.0,
            "aftersales_warranty_extension": True, "aftersales_warranty_months": 12})
        cls.policy = cls.Policy.create({
            "name": "Test machining centres",
            "product_tmpl_id": cls.product.product_tmpl_id.id,
            "replacement_months": 12, "repair_months": 24, "replacement_basis": "delivery",
            "extension_product_id": cls.extension.id,
        })
        # the roles of issue 13 that work on repairs
        cls.hotline = cls._create_user("wa_hotline", "aftersales_base.group_aftersales_hotline")
        cls.engineer = cls._create_user(
            "wa_engineer", "aftersales_base.group_aftersales_engineer")
        cls.general_manager = cls._create_user(
            "as_general_manager", "aftersales_warranty.group_aftersales_general_manager")
        cls.company = cls.env.user.company_id
        cls.company.aftersales_approval_threshold = 1000.0

    @classmethod
    def _deliver_unit(cls, serial, delivery_date=None, acceptance_date=None, partner=None):
        """Sell and deliver one unit; return its archive with the given dates."""
        lot = cls._stock_serials(cls.product, serial)
        order = cls._sell(cls.product, 1, partner=partner)
        cls._validate(order.picking_ids, lot)
        archive = cls.env["aftersales.archive"].search([("lot_id", "=", lot.id)])
        vals = {}
        if delivery_date:
            vals["delivery_date"] = delivery_date
        if acceptance_date:
            vals["acceptance_date"] = acceptance_date
        if vals:
            archive._write_owned(vals)  # a delivery of that date (test set-up)
        return archive

    def _decide(self, archive, date, exclusion=False, is_doa=False):
        return self.Policy._decide_coverage(archive, date, exclusion=exclusion, is_doa=is_doa)

    def _standard(self, archive):
        return archive.warranty_ids.filtered(
            lambda w: w.contract_type == "standard" and w.state != "cancel")

    @classmethod
    def _create_ticket(cls, archive, **vals):
        # a fixture: a request reported when the test says (the owning steps stamp the clock)
        return cls.env["aftersales.ticket"]._create_owned(dict({
            "partner_id": archive.partner_id.id,
            "archive_id": archive.id,
            "description": "Spindle vibrates above 6000 rpm",
        }, **vals))
