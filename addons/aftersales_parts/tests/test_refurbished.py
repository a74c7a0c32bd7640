from odoo.exceptions import AccessError, UserError

from .common import PartsCase


class TestRefurbished(PartsCase):
    """R: P5, W6 - refurbished lots go to extended-warranty units, or with a manager's consent."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pump = cls._create_part("Test Coolant Pump", "T-CP", vendor=cls.vendor,
                                    tracking="lot")
        Lot = cls.env["stock.production.lot"]
        # The refurbished lot is in stock first: FIFO alone would pick it.
        cls.refurbished_lot = Lot.create(
            {"name": "CP-R-01", "product_id": cls.pump.id, "is_refurbished": True})
        cls._put_in_stock(cls.pump, 1.0, lot=cls.refurbished_lot)
        cls.new_lot = Lot.create({"name": "CP-N-01", "product_id": cls.pump.id})
        cls._put_in_stock(cls.pump, 1.0, lot=cls.new_lot)

    def _extend_warranty(self):
        return self.env["aftersales.warranty"].create({
            "archive_id": self.archive.id, "contract_type": "extended",
            "date_start": self._days_from_today(-30), "date_end": self._days_from_today(330)})

    def _pick_lot(self, picking, lot):
        line = picking.move_line_ids
        line.sudo(self.stock_user).write({"lot_id": lot.id, "qty_done": 1.0})

    def test_p5_refurbished_lot_is_identifiable(self):
        self.assertEqual(self.refurbished_lot.display_name, "CP-R-01 (refurbished)")
        self.assertEqual(self.new_lot.display_name, "CP-N-01")

    def test_p5_refurbished_mark_follows_the_readers_language(self):
        """Issue 15: a Chinese parts clerk reads the mark in Chinese."""
        lot = self.refurbished_lot.with_context(lang="zh_CN")
        self.assertEqual(lot.display_name, "CP-R-01（翻新）")

    def test_p5_without_extended_warranty_refurbished_is_not_reserved_nor_shipped(self):
        request = self._approve(self._create_request({"product_id": self.pump.id}))
        self.assertFalse(request.refurbished_allowed)
        picking = request.picking_ids
        self.assertEqual(picking.move_line_ids.lot_id, self.new_lot,
                         "the new lot is reserved although the refurbished one came first")
        self._pick_lot(picking, self.refurbished_lot)
        with self.assertRaisesRegex(UserError, "refurbished"), self.cr.savepoint():
            picking.sudo(self.stock_user).action_done()
        picking.invalidate_cache()
        self.assertNotEqual(picking.state, "done")
        self.assertEqual(self._quantity(self.pump, self.parts_stock, self.refurbished_lot), 0.0,
                         "still in stock, only reserved")

    def test_p5_only_refurbished_in_stock_is_not_enough_without_warranty(self):
        self.env["stock.quant"]._update_available_quantity(
            self.pump, self.parts_stock, -1.0, lot_id=self.new_lot)
        request = self._approve(self._create_request({"product_id": self.pump.id}))
        self.assertFalse(request.picking_ids)
        self.assertEqual(request.purchase_ids.order_line.product_id, self.pump,
                         "a new part is ordered instead")

    def test_w6_extended_warranty_unit_may_use_refurbished(self):
        self._extend_warranty()
        request = self._approve(self._create_request({"product_id": self.pump.id}))
        self.assertTrue(request.refurbished_allowed)
        picking = request.picking_ids
        self.assertEqual(picking.move_line_ids.lot_id, self.refurbished_lot, "FIFO applies")
        self._pick_lot(picking, self.refurbished_lot)
        picking.sudo(self.stock_user).action_done()
        self.assertEqual(picking.state, "done")
        self.assertEqual(request.state, "done")

    def test_p5_manager_may_allow_refurbished(self):
        request = self._create_request({"product_id": self.pump.id})
        request.sudo(self.manager).allow_refurbished = True
        self.assertTrue(request.refurbished_allowed)
        self._approve(request)
        picking = request.picking_ids
        self._pick_lot(picking, self.refurbished_lot)
        picking.sudo(self.stock_user).action_done()
        self.assertEqual(picking.state, "done")

    def test_p5_non_manager_cannot_allow_refurbished(self):
        request = self._create_request({"product_id": self.pump.id})
        with self.assertRaises(AccessError):
            request.sudo(self.engineer).write({"allow_refurbished": True})
        with self.assertRaises(AccessError):
            self._create_request({"product_id": self.pump.id}, allow_refurbished=True)
        request.invalidate_cache()
        self.assertFalse(request.allow_refurbished)
