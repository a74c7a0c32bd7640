"""Builders shared by the service record and portal tests.

Plain functions taking an environment, so that SavepointCase classes (data in setUpClass) and
HttpCase classes (data in setUp) both use them.
"""
import base64
import io

from PIL import Image

from .common import NO_MAIL


def signature_png(width=200, height=60):
    """A small drawn-looking PNG, as jSignature posts it (base64)."""
    image = Image.new("RGBA", (width, height), (255, 255, 255, 0))
    image.putpixel((10, 10), (0, 0, 0, 255))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _quiet(env):
    return env(context=dict(env.context, **NO_MAIL))


def create_customer(env, name, contact_name, login=None):
    """A customer company, a contact and, with `login`, a portal user (password login-pwd)."""
    env = _quiet(env)
    company = env["res.partner"].create({"name": name, "is_company": True})
    contact = env["res.partner"].create({
        "name": contact_name, "parent_id": company.id,
        "email": "%s@example.com" % (login or "contact")})
    user = env["res.users"]
    if login:
        user = env["res.users"].create({
            "name": contact_name, "login": login, "password": login + "-pwd",
            "partner_id": contact.id,
            "groups_id": [(6, 0, [env.ref("base.group_portal").id])]})
    return company, contact, user


def create_unit(env, product, serial, partner, contact=None):
    env = _quiet(env)
    lot = env["stock.production.lot"].create({"name": serial, "product_id": product.id})
    return env["aftersales.archive"].create({
        "product_id": product.id, "lot_id": lot.id, "partner_id": partner.id,
        "contact_id": contact and contact.id})


def create_ticket(env, unit, **vals):
    values = {"partner_id": unit.partner_id.id, "archive_id": unit.id,
              "contact_id": unit.contact_id.id, "description": "Spindle noise"}
    values.update(vals)
    return _quiet(env)["aftersales.ticket"].create(values)


# The visit's times are owned by the engineer's buttons (issue 13): a test that needs a visit
# of a given day sets them the way the buttons do (test set-up, not a user's write).
VISIT_TIMES = ("date_appointment", "date_arrival", "date_departure")


def create_record(env, unit, ticket=None, arrive=True, **vals):
    """A draft service record of `unit`, created in `env` (its user is the engineer).

    With `arrive` the engineer pressed "Arrived on Site". `date_appointment`, `date_arrival`
    and `date_departure` give the visit those times instead of now.
    """
    times = {name: vals.pop(name) for name in VISIT_TIMES if name in vals}
    values = {
        "archive_id": unit.id,
        "ticket_id": ticket and ticket.id,
        "partner_id": unit.partner_id.id,
        "contact_id": unit.contact_id.id,
        "work_done": "Replaced the spindle front bearing.",
        "test_result": "passed",
    }
    values.update(vals)
    record = _quiet(env)["aftersales.service.record"].create(values)
    if arrive:
        record.action_arrive()
    if times:
        record._write_owned(times)
    return record


def create_pending_record(env, unit, ticket=None, **vals):
    record = create_record(env, unit, ticket, **vals)
    departure = record.date_departure
    record.action_request_signature()
    if departure:
        # the visit of the given day ended then, not now
        record._write_owned({"date_departure": departure})
    return record
