import socket
import time
import urllib.error
import urllib.request

from odoo.tests.common import HttpCase, SavepointCase
from odoo.tools import config

NO_MAIL = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_notrack": True,
    "no_reset_password": True,
}


_ASSETS_WARM = []


def wait_for_http_server(timeout=60):
    """pytest-odoo starts the server's thread just before the first HTTP test: let it listen
    before the test talks to it."""
    deadline = time.time() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", config["http_port"]), timeout=5).close()
            return
        except OSError:
            if time.time() > deadline:
                raise
            time.sleep(0.5)


def warm_web_assets():
    """Build the web pages' asset bundles once, for real, before the HTTP tests.

    They are attachments: built inside a test they live on its test cursor and every test
    (and every error page, which rolls back) builds them again, about 10 s each time. Call it
    from an HttpCase's setUpClass (the registry is not in test mode yet): the request commits,
    on the run's own copy of the database.
    """
    if _ASSETS_WARM:
        return
    for path in ("/web/login", "/my/no-such-page"):
        try:
            urllib.request.urlopen("http://127.0.0.1:%s%s" % (config["http_port"], path),
                                   timeout=300).read()
        except urllib.error.HTTPError:
            pass  # the 404 page: built all the same
    _ASSETS_WARM.append(True)


class AftersalesHttpCase(HttpCase):
    """HTTP tests against this run's server, its asset bundles built once beforehand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        wait_for_http_server()
        warm_web_assets()

    def _url(self, path):
        # odoo.tests.common.PORT is read before pytest-odoo loads the configuration (8069):
        # use the port this run's test server really listens on (TEST_HTTP_PORT).
        return "http://127.0.0.1:%s%s" % (config["http_port"], path)

    def url_open(self, url, data=None, timeout=20):
        return super().url_open(self._url(url) if url.startswith("/") else url, data, timeout)


class AftersalesCase(SavepointCase):
    """Shared fixtures: a tracked machine in stock, a customer with a site contact, users."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **NO_MAIL))
        cls.stock_location = cls.env.ref("stock.stock_location_stock")
        cls.customer_location = cls.env.ref("stock.stock_location_customers")
        cls.product = cls._create_tracked_product("Test Machining Center", "TMC")
        cls.customer = cls.env["res.partner"].create({
            "name": "Acme Machining Ltd.", "is_company": True,
            "street": "1 Test Road", "city": "Wuxi"})
        cls.site_contact = cls.env["res.partner"].create({
            "name": "Zhang Wei", "parent_id": cls.customer.id, "type": "delivery",
            "street": "Plant 3, 9 Factory Lane", "city": "Wuxi", "phone": "+86 510 0000 0000"})
        cls.user = cls._create_user("as_user", "aftersales_base.group_aftersales_user")
        cls.manager = cls._create_user("as_manager", "aftersales_base.group_aftersales_manager")
        cls.employee = cls._create_user("plain_employee", "base.group_user")
        cls.stock_user = cls._create_user("stock_user", "stock.group_stock_user")
        cls._create_ticket_roles()
        # the units and service records' tests name the same roles role_*; a parts clerk too
        cls.role_hotline = cls.hotline
        cls.role_engineer = cls.engineer
        cls.role_quality = cls.quality
        cls.role_parts_clerk = cls._create_user(
            "rec_parts_clerk", "aftersales_base.group_aftersales_parts_clerk")

    # Roles of the service request flow (issue 13) --------------------------------------------

    @classmethod
    def _create_ticket_roles(cls):
        """One user per role of the service request: each step is tested as the role owning it."""
        cls.hotline = cls._create_user("ticket_hotline", "aftersales_base.group_aftersales_hotline")
        cls.engineer = cls._create_user(
            "ticket_engineer", "aftersales_base.group_aftersales_engineer")
        cls.quality = cls._create_user("ticket_quality", "aftersales_base.group_aftersales_quality")

    @classmethod
    def _create_user(cls, login, *group_xmlids):
        groups = [cls.env.ref(xmlid).id for xmlid in group_xmlids]
        return cls.env["res.users"].create({
            "name": login.replace("_", " ").title(), "login": login,
            "email": "%s@example.com" % login, "groups_id": [(6, 0, groups)]})

    @classmethod
    def _create_tracked_product(cls, name, code):
        return cls.env["product.product"].create({
            "name": name, "default_code": code, "type": "product",
            "tracking": "serial", "aftersales_tracked": True})

    @classmethod
    def _stock_serials(cls, product, *serials):
        lots = cls.env["stock.production.lot"]
        for serial in serials:
            lot = lots.create({"name": serial, "product_id": product.id})
            cls.env["stock.quant"]._update_available_quantity(
                product, cls.stock_location, 1.0, lot_id=lot)
            lots |= lot
        return lots

    @classmethod
    def _sell(cls, product, qty, partner=None, shipping=None):
        partner = partner or cls.customer
        order = cls.env["sale.order"].create({
            "partner_id": partner.id,
            "partner_shipping_id": (shipping or cls.site_contact).id,
            "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": qty,
                                   "price_unit": 1000.0})],
        })
        order.action_confirm()
        return order

    @classmethod
    def _validate(cls, picking, lots=None):
        """Validate `picking`, shipping only the move lines of `lots` (all reserved when None)."""
        picking.action_assign()
        for line in picking.move_line_ids:
            if lots is None or line.lot_id in lots:
                line.qty_done = line.product_uom_qty
        picking.action_done()
        return picking

    @classmethod
    def _return(cls, picking, lots):
        wizard = cls.env["stock.return.picking"].with_context(
            active_id=picking.id, active_ids=picking.ids).create({})
        new_picking_id, _type = wizard._create_returns()
        return_picking = cls.env["stock.picking"].browse(new_picking_id)
        return_picking.action_assign()
        for move in return_picking.move_lines:
            for lot in lots.filtered(lambda l: l.product_id == move.product_id):
                existing = move.move_line_ids.filtered(lambda l: l.lot_id == lot)
                if existing:
                    existing.qty_done = 1.0
                else:
                    cls.env["stock.move.line"].create(dict(
                        move._prepare_move_line_vals(quantity=0), lot_id=lot.id, qty_done=1.0))
            move.move_line_ids.filtered(lambda l: not l.qty_done).unlink()
        return_picking.action_done()
        return return_picking

    def _archives(self, lots):
        return self.env["aftersales.archive"].with_context(active_test=False).search(
            [("lot_id", "in", lots.ids)])

    # Service requests (issue 3) ---------------------------------------------------------------

    @classmethod
    def _create_unit(cls, partner=None, serial=None):
        """An archive for a unit of `partner`, without going through a delivery."""
        partner = partner or cls.customer
        serial = serial or "SN-UNIT-%s-%s" % (partner.id, len(cls.env["aftersales.archive"].search(
            [], order="id")) + 1)
        lot = cls.env["stock.production.lot"].create(
            {"name": serial, "product_id": cls.product.id})
        return cls.env["aftersales.archive"].create({
            "product_id": cls.product.id, "lot_id": lot.id, "partner_id": partner.id,
            "contact_id": cls.site_contact.id if partner == cls.customer else False,
            "site_address": "Plant 3, 9 Factory Lane, Wuxi"})

    @classmethod
    def _create_ticket(cls, user=None, **values):
        """A new service request of the test customer, created as `user` (the hotline)."""
        vals = {
            "partner_id": cls.customer.id,
            "contact_id": cls.site_contact.id,
            "description": "Spindle noise above 6000 rpm",
            "channel": "phone",
        }
        vals.update(values)
        return cls.env["aftersales.ticket"].sudo(user or cls.hotline).create(vals)

    @classmethod
    def _dispatch_ticket(cls, ticket, appointment, engineer=None, user=None):
        """Dispatch `ticket` through the wizard, as the hotline would."""
        wizard = cls.env["aftersales.ticket.dispatch"].sudo(user or cls.hotline).with_context(
            active_id=ticket.id, active_model="aftersales.ticket").create({
                "engineer_id": (engineer or cls.engineer).id,
                "appointment_date": appointment,
            })
        wizard.action_confirm()
        return wizard
