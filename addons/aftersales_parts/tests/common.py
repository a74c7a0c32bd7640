from datetime import timedelta

from odoo import fields

from odoo.addons.aftersales_base.tests.common import AftersalesCase


class PartsCase(AftersalesCase):
    """A delivered unit, the parts warehouse, a maker and its parts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse = cls.env.ref("aftersales_parts.stock_warehouse_parts")
        cls.parts_stock = cls.warehouse.lot_stock_id
        cls.core_location = cls.env.ref("aftersales_parts.stock_location_core_returns")
        cls.supplier_location = cls.env.ref("stock.stock_location_suppliers")
        cls.vendor = cls.env["res.partner"].create({
            "name": "Test Spindle Works", "is_company": True, "supplier": True})
        cls.bearing = cls._create_part("Test Bearing Set", "T-BRG", vendor=cls.vendor)
        cls.motor = cls._create_part("Test Spindle Motor", "T-SRV", vendor=cls.vendor,
                                     core_return_required=True, core_return_days=30)
        cls.no_vendor_part = cls._create_part("Test Gasket", "T-GSK")
        lot = cls._stock_serials(cls.product, "TMC-PARTS-001")
        cls._validate(cls._sell(cls.product, 1).picking_ids)
        cls.archive = cls.env["aftersales.archive"].search([("lot_id", "=", lot.id)])
        cls.purchase_user = cls._create_user("purchase_user", "purchase.group_purchase_user")
        # The roles of the parts flow (issue 13): the engineer asks, the after-sales manager
        # approves, the parts clerk supplies, issues and handles the core returns.
        cls.engineer = cls._create_user("parts_engineer", "aftersales_base.group_aftersales_engineer")
        cls.clerk = cls._create_user("parts_clerk", "aftersales_base.group_aftersales_parts_clerk")
        cls.engineer.partner_id.write({"street": "Van 7", "city": "Wuxi"})
        cls.tier = cls.env.ref("aftersales_parts.tier_definition_parts_request_manager")

    @classmethod
    def _create_part(cls, name, code, vendor=None, **vals):
        part = cls.env["product.product"].create(dict({
            "name": name, "default_code": code, "type": "product",
            "aftersales_spare_part": True, "standard_price": 100.0}, **vals))
        if vendor:
            cls.env["product.supplierinfo"].create({
                "name": vendor.id, "product_tmpl_id": part.product_tmpl_id.id,
                "price": 88.0, "delay": 7})
        return part

    @classmethod
    def _put_in_stock(cls, product, qty, lot=None, location=None):
        cls.env["stock.quant"]._update_available_quantity(
            product, location or cls.parts_stock, qty, lot_id=lot)

    def _quantity(self, product, location, lot=None):
        return self.env["stock.quant"]._get_available_quantity(
            product, location, lot_id=lot, strict=bool(lot))

    def _create_request(self, *lines, **vals):
        """A parts request for the test unit, created by the service engineer."""
        values = {
            "archive_id": self.archive.id,
            "partner_id": self.customer.id,
            "partner_shipping_id": self.site_contact.id,
            "engineer_id": self.engineer.id,
            "line_ids": [(0, 0, dict({"quantity": 1.0}, **line)) for line in lines],
        }
        values.update(vals)
        return self.env["aftersales.parts.request"].sudo(self.engineer).create(values)

    def _submit(self, request):
        request.sudo(self.engineer).action_submit()
        request.invalidate_cache()
        return request

    def _approve(self, request):
        """Submitted by the engineer, approved by the after-sales manager (its one level)."""
        self._submit(request)
        request.sudo(self.manager).validate_tier()
        request.invalidate_cache()
        return request

    def _ship(self, picking, user=None):
        """Validate a transfer as the parts clerk, shipping what is reserved."""
        picking = picking.sudo(user or self.clerk)
        picking.action_assign()
        for line in picking.move_line_ids:
            line.qty_done = line.product_uom_qty
        picking.action_done()
        picking.invalidate_cache()
        return picking

    def _days_from_today(self, days):
        today = fields.Date.from_string(fields.Date.context_today(self.env.user))
        return fields.Date.to_string(today + timedelta(days=days))
