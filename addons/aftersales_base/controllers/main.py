import functools
import re
import uuid

from psycopg2 import IntegrityError
from werkzeug.exceptions import NotFound
from werkzeug.urls import url_encode

from odoo import _, http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.http import request
from odoo.tools import consteq
from odoo.tools.mimetypes import guess_mimetype

from odoo.addons.aftersales_base.models.aftersales_guard_mixin import MAX_INTEGER
from odoo.addons.portal.controllers.portal import CustomerPortal, pager as portal_pager

# Attachments a customer joins to a new ticket (photos of the part, a program listing...).
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# What a customer may attach: the type recognised from the content must be one of these, and
# the name must carry one of its extensions (issue 14: content and name together, so that no
# name makes a browser read the file as another type). What is stored is the checked type.
ATTACHMENT_TYPES = {
    "image/jpeg": (".jpg", ".jpeg"),
    "image/png": (".png",),
    "image/gif": (".gif",),
    "image/bmp": (".bmp",),
    "application/pdf": (".pdf",),
    "application/msword": (".doc",),
    "application/vnd.ms-excel": (".xls",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (".docx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (".xlsx",),
}
# Plain text has no signature: accepted by name (a CNC program listing, a log) when it is text.
TEXT_EXTENSIONS = (".txt", ".log", ".nc", ".csv")
# Markup a browser would run, wherever it hides in a photo or a text (HTML, SVG, XML, scripts).
MARKUP = re.compile(rb"<\s*(?:html|head|body|script|svg|iframe|object|embed|meta|\?xml|!doctype)"
                    rb"|javascript:", re.IGNORECASE)
PORTAL_RECORD_STATES = ("to_sign", "signed")
# The token of a new-request form, as the page makes it (uuid4().hex).
FORM_TOKEN = re.compile(r"^[0-9a-f]{32}$")


class LinkExpired(NotFound):
    """The token was the document's, but its link no longer works (expired or used)."""

    code = 410


def answer_expired_links(route):
    """Routes opened by a signing link tell its holder, in words, that it is dead (issue 14)."""
    @functools.wraps(route)
    def wrapper(self, *args, **kwargs):
        try:
            return route(self, *args, **kwargs)
        except LinkExpired:
            return request.render("aftersales_base.portal_link_expired", {}, status=410)
    return wrapper


class AftersalesPortal(CustomerPortal):
    """The customer's units, tickets and service records on /my.

    Portal users read through record rules on their commercial partner
    (security/aftersales_security.xml); every sudo() below comes after such a check.
    """

    # Helpers

    def _aftersales_partner(self):
        return request.env.user.partner_id.commercial_partner_id

    def _aftersales_domain(self, model_name):
        domain = [("partner_id", "child_of", [self._aftersales_partner().id])]
        if model_name == "aftersales.service.record":
            domain.append(("state", "in", PORTAL_RECORD_STATES))
        return domain

    def _aftersales_count(self, model_name):
        Model = request.env[model_name]
        if not Model.check_access_rights("read", raise_exception=False):
            return 0
        return Model.search_count(self._aftersales_domain(model_name))

    def _document_check_access(self, model_name, document_id, access_token=None):
        """Return the document in sudo once the user may read it, else raise NotFound.

        Access is the user's own (rights and record rules) or, for documents that carry one,
        the document's access token. Unknown ids and refused ones look the same: 404.
        """
        # ids are PostgreSQL integers: a larger one is a document that does not exist
        if not 0 < document_id <= MAX_INTEGER:
            raise NotFound()
        document = request.env[model_name].browse([document_id])
        # sudo: only to know whether the id exists and to read its token; nothing is shown yet.
        document_sudo = document.sudo().exists()
        if not document_sudo:
            raise NotFound()
        try:
            document.check_access_rights("read")
            document.check_access_rule("read")
        except AccessError:
            token = "access_token" in document_sudo._fields and document_sudo.access_token
            if not (isinstance(access_token, str) and access_token and token
                    and consteq(token, access_token)):
                raise NotFound()
            is_live = getattr(document_sudo, "_signing_link_is_live", None)
            if is_live is not None and not is_live():
                raise LinkExpired()
        return document_sudo

    def _list_values(self, model_name, url, page, sortings, sortby, page_name):
        Model = request.env[model_name]
        domain = self._aftersales_domain(model_name)
        sortby = sortby if sortby in sortings else next(iter(sortings))
        total = Model.search_count(domain)
        pager = portal_pager(url=url, url_args={"sortby": sortby}, total=total, page=page,
                             step=self._items_per_page)
        records = Model.search(domain, order=sortings[sortby]["order"],
                               limit=self._items_per_page, offset=pager["offset"])
        values = self._document_layout_values()
        values.update({
            # sudo: the records were searched as the user (record rules applied); sudo only
            # reads their related fields (product, serial, category) for display.
            "records": records.sudo(),
            "pager": pager,
            "page_name": page_name,
            "default_url": url,
            "searchbar_sortings": sortings,
            "sortby": sortby,
        })
        return values

    def _document_layout_values(self):
        """The portal layout of our lists and documents, without the counters of the /my home
        page: every portal addon adds its own, and sale's count of orders by follower alone
        takes seconds for a customer with 5,000 orders (issue 8). Only /my shows them."""
        return CustomerPortal._prepare_portal_layout_values(self)

    def _prepare_portal_layout_values(self):
        values = super()._prepare_portal_layout_values()
        values.update({
            "aftersales_unit_count": self._aftersales_count("aftersales.archive"),
            "aftersales_ticket_count": self._aftersales_count("aftersales.ticket"),
            "aftersales_record_count": self._aftersales_count("aftersales.service.record"),
        })
        return values

    # Units

    @http.route(["/my/units", "/my/units/page/<int:page>"], type="http", auth="user",
                website=True)
    def portal_my_units(self, page=1, sortby=None, **kw):
        sortings = {
            "date": {"label": _("Delivery Date"), "order": "delivery_date desc, id desc"},
            "name": {"label": _("Reference"), "order": "name"},
        }
        values = self._list_values("aftersales.archive", "/my/units", page, sortings, sortby,
                                   "aftersales_unit")
        return request.render("aftersales_base.portal_my_units", values)

    @http.route(["/my/units/<int:archive_id>"], type="http", auth="user", website=True)
    def portal_my_unit(self, archive_id, **kw):
        archive_sudo = self._document_check_access("aftersales.archive", archive_id)
        values = self._document_layout_values()
        tickets = request.env["aftersales.ticket"].search(
            self._aftersales_domain("aftersales.ticket") + [("archive_id", "=", archive_id)])
        records = request.env["aftersales.service.record"].search(
            self._aftersales_domain("aftersales.service.record")
            + [("archive_id", "=", archive_id)])
        values.update({
            "unit": archive_sudo,
            # sudo: searched as the user above, sudo only for display of related fields.
            "tickets": tickets.sudo(),
            "service_records": records.sudo(),
            "page_name": "aftersales_unit",
        })
        return request.render("aftersales_base.portal_my_unit", values)

    # Tickets

    @http.route(["/my/tickets", "/my/tickets/page/<int:page>"], type="http", auth="user",
                website=True)
    def portal_my_tickets(self, page=1, sortby=None, **kw):
        sortings = {
            "date": {"label": _("Newest"), "order": "date_reported desc, id desc"},
            "name": {"label": _("Reference"), "order": "name desc"},
            "stage": {"label": _("Stage"), "order": "state, date_reported desc"},
        }
        values = self._list_values("aftersales.ticket", "/my/tickets", page, sortings, sortby,
                                   "aftersales_ticket")
        return request.render("aftersales_base.portal_my_tickets", values)

    @http.route(["/my/tickets/<int:ticket_id>"], type="http", auth="user", website=True)
    def portal_my_ticket(self, ticket_id, **kw):
        ticket_sudo = self._document_check_access("aftersales.ticket", ticket_id)
        partner = request.env.user.partner_id
        values = self._document_layout_values()
        values.update({
            "ticket": ticket_sudo,
            "is_follower": partner in ticket_sudo.message_partner_ids,
            "page_name": "aftersales_ticket",
        })
        return request.render("aftersales_base.portal_my_ticket", values)

    @http.route(["/my/tickets/<int:ticket_id>/follow"], type="http", auth="user",
                methods=["POST"], website=True)
    def portal_my_ticket_follow(self, ticket_id, follow="1", **kw):
        ticket_sudo = self._document_check_access("aftersales.ticket", ticket_id)
        partner_ids = [request.env.user.partner_id.id]
        # sudo: the user may read the ticket (checked above) but has no write access; it only
        # (un)subscribes its own partner.
        if follow == "1":
            ticket_sudo.message_subscribe(partner_ids=partner_ids)
        else:
            ticket_sudo.message_unsubscribe(partner_ids=partner_ids)
        return request.redirect("/my/tickets/%s" % ticket_id)

    @http.route(["/my/tickets/new"], type="http", auth="user", methods=["GET", "POST"],
                website=True)
    def portal_new_ticket(self, **post):
        units = request.env["aftersales.archive"].search(
            self._aftersales_domain("aftersales.archive") + [("state", "!=", "returned")])
        values = self._document_layout_values()
        values.update({
            # sudo: units searched as the user; sudo only displays the serial numbers.
            "units": units.sudo(),
            "error": False,
            "post": post,
            "page_name": "aftersales_ticket_new",
            "form_token": self._new_ticket_form_token(post),
        })
        if request.httprequest.method == "POST":
            sent = self._new_ticket_already_sent(post)
            if sent:
                return request.redirect("/my/tickets/%s" % sent.id)
            error = self._new_ticket_validate(post, units)
            if not error:
                try:
                    with request.env.cr.savepoint():
                        ticket = self._new_ticket_create(post)
                except IntegrityError:
                    # the same form, sent at the same moment, made its request first
                    return request.redirect("/my/tickets")
                return request.redirect("/my/tickets/%s" % ticket.id)
            values["error"] = error
        return request.render("aftersales_base.portal_new_ticket", values)

    @staticmethod
    def _posted_form_token(post):
        """The form token the page sent, or None (absent or not one the page makes)."""
        token = post.get("form_token")
        return token if isinstance(token, str) and FORM_TOKEN.match(token) else None

    @classmethod
    def _new_ticket_form_token(cls, post):
        """The token of the form on the page: kept when the page comes back with an error,
        so that the corrected form still counts as the same one."""
        return cls._posted_form_token(post) or uuid.uuid4().hex

    def _new_ticket_already_sent(self, post):
        """The request this customer already made with this form, if any (issue 14)."""
        token = self._posted_form_token(post)
        if not token:
            return request.env["aftersales.ticket"]
        # sudo: the customer reads his tickets, not this staff field; the partner is his
        return request.env["aftersales.ticket"].sudo().search([
            ("portal_form_token", "=", token),
            ("partner_id", "=", self._aftersales_partner().id)], limit=1)

    def _new_ticket_validate(self, post, units):
        """Return an error message for the form, or False when it can be submitted."""
        try:
            archive_id = int(post.get("archive_id") or 0)
        except ValueError:
            archive_id = 0
        if archive_id not in units.ids:
            return _("Choose one of your units.")
        if not (post.get("description") or "").strip():
            return _("Describe the symptom.")
        upload = post.get("attachment")
        if upload and upload.filename:
            content = upload.read()
            upload.seek(0)
            return self._attachment_error(upload.filename, content)
        return False

    @classmethod
    def _attachment_error(cls, filename, content):
        """Return why the customer's file cannot be attached, or False."""
        if len(content) > MAX_ATTACHMENT_BYTES:
            return _("The attachment is too large (at most %(max)s MB).") % {
                "max": MAX_ATTACHMENT_BYTES // (1024 * 1024)}
        if not content:
            return _("The attachment is empty.")
        if "\0" in filename or not cls._attachment_type(filename, content):
            return _("Attach a photo (JPEG, PNG, GIF, BMP), a PDF, an Office document or a text "
                     "file under its own name; %(name)s is none of these.") % {
                         "name": filename.replace("\0", "")}
        return False

    @staticmethod
    def _attachment_type(filename, content):
        """The checked type of a customer's file, or None: recognised from the content, and
        named as what it is (issue 14)."""
        name = filename.lower()
        mimetype = guess_mimetype(content)
        if mimetype in ATTACHMENT_TYPES:
            if not name.endswith(ATTACHMENT_TYPES[mimetype]):
                return None
            if mimetype.startswith("image/") and MARKUP.search(content):
                return None
            return mimetype
        if name.endswith(TEXT_EXTENSIONS) and b"\0" not in content \
                and not MARKUP.search(content):
            for encoding in ("utf-8", "gb18030"):
                try:
                    content.decode(encoding)
                except UnicodeDecodeError:
                    continue
                return "text/plain"
        return None

    def _prepare_portal_ticket_vals(self, post):
        user_partner = request.env.user.partner_id
        return {
            "channel": "portal",
            "partner_id": self._aftersales_partner().id,
            "contact_id": user_partner.id,
            "archive_id": int(post["archive_id"]),
            "description": post["description"].strip(),
        }

    def _new_ticket_create(self, post):
        # sudo: portal users cannot create tickets; the unit was checked to be the user's own
        # and every value comes from _prepare_portal_ticket_vals, not from the form as is.
        Ticket = request.env["aftersales.ticket"].sudo()
        vals = self._prepare_portal_ticket_vals(post)
        vals["portal_form_token"] = self._new_ticket_form_token(post)
        with Ticket._guard_allow(["portal_form_token"]):
            ticket = Ticket.create(vals)
        ticket.message_subscribe(partner_ids=[request.env.user.partner_id.id])
        upload = post.get("attachment")
        if upload and upload.filename:
            content = upload.read()
            message = ticket.message_post(
                body=_("Attachment sent from the customer portal."),
                author_id=request.env.user.partner_id.id, message_type="comment",
                subtype="mail.mt_comment", attachments=[(upload.filename, content)])
            # the checked type, not the name's; served as a download unless a photo
            message.attachment_ids.write({
                "mimetype": self._attachment_type(upload.filename, content),
                "aftersales_customer_upload": True})
        return ticket

    # Service records

    @http.route(["/my/service_records", "/my/service_records/page/<int:page>"], type="http",
                auth="user", website=True)
    def portal_my_service_records(self, page=1, sortby=None, **kw):
        sortings = {
            "date": {"label": _("Newest"), "order": "date_arrival desc, id desc"},
            "name": {"label": _("Reference"), "order": "name desc"},
            "stage": {"label": _("Status"), "order": "state, date_arrival desc"},
        }
        values = self._list_values("aftersales.service.record", "/my/service_records", page,
                                   sortings, sortby, "aftersales_record")
        return request.render("aftersales_base.portal_my_service_records", values)

    @staticmethod
    def _read_as_customer(document_sudo):
        """A page opened by the document's link is read by its customer (on the engineer's
        tablet, or logged out): in the customer's language and time zone (issue 15)."""
        reading = document_sudo._customer_reading_context()
        request.lang = reading["lang"]
        request.context = dict(request.context, **reading)
        return document_sudo.with_context(**reading)

    def _service_record_values(self, record_sudo, access_token):
        if access_token or request.env.user._is_public():
            record_sudo = self._read_as_customer(record_sudo)
            # Opened with the record's token on the engineer's tablet (logged out, or as the
            # engineer): not the customer's "My Account", whose counters of the other portal
            # addons would refuse these users.
            values = {"sales_user": False, "archive_groups": [], "no_breadcrumbs": True}
        else:
            values = self._document_layout_values()
        values.update({
            "record": record_sudo,
            "access_token": access_token,
            "page_name": "aftersales_record",
        })
        return values

    @http.route(["/my/service_records/<int:record_id>"], type="http", auth="public",
                website=True)
    @answer_expired_links
    def portal_my_service_record(self, record_id, access_token=None, **kw):
        record_sudo = self._document_check_access(
            "aftersales.service.record", record_id, access_token)
        return request.render("aftersales_base.portal_my_service_record",
                              self._service_record_values(record_sudo, access_token))

    @http.route(["/my/service_records/<int:record_id>/sign"], type="http", auth="public",
                website=True)
    @answer_expired_links
    def portal_sign_service_record(self, record_id, access_token=None, **kw):
        record_sudo = self._document_check_access(
            "aftersales.service.record", record_id, access_token)
        values = self._service_record_values(record_sudo, access_token)
        values["sign_mode"] = True
        return request.render("aftersales_base.portal_my_service_record", values)

    @http.route(["/my/service_records/<int:record_id>/accept"], type="json", auth="public",
                website=True)
    def portal_accept_service_record(self, record_id, access_token=None, partner_name=None,
                                     signature=None, **kw):
        """Called by the portal signature form: signs the record with the drawn signature."""
        try:
            record_sudo = self._document_check_access(
                "aftersales.service.record", record_id, access_token)
        except LinkExpired:
            return {"error": _("This signing link has expired or the record is already signed. "
                               "Ask your service engineer for a new link.")}
        except NotFound:
            return {"error": _("This service record does not exist or is not yours.")}
        if access_token or request.env.user._is_public():
            record_sudo = self._read_as_customer(record_sudo)
        try:
            # sudo: the signer reached this record through its own access or the record's
            # token; action_sign checks the state, the content and the signature itself.
            record_sudo.action_sign(partner_name, signature)
        except (UserError, ValidationError) as error:
            # action_sign checks everything before it writes: nothing was changed.
            return {"error": error.name}
        # The signing link is dead now: the signed record is shown to those who log in.
        url = "/my/service_records/%s" % record_id
        if request.env.user._is_public():
            url = "/web/login?%s" % url_encode({"redirect": url})
        return {"success": _("The service record is signed."), "redirect_url": url}

    @http.route(["/my/service_records/<int:record_id>/pdf"], type="http", auth="public",
                website=True)
    @answer_expired_links
    def portal_service_record_pdf(self, record_id, access_token=None, **kw):
        record_sudo = self._document_check_access(
            "aftersales.service.record", record_id, access_token)
        # sudo: the report reads the unit, product and engineer, which portal users cannot.
        report = request.env.ref("aftersales_base.action_report_service_record").sudo()
        pdf = report.render_qweb_pdf([record_sudo.id])[0]
        headers = [
            ("Content-Type", "application/pdf"),
            ("Content-Length", len(pdf)),
            ("Content-Disposition", 'inline; filename="%s.pdf"' % record_sudo.name.replace("/", "-")),
        ]
        return request.make_response(pdf, headers=headers)
