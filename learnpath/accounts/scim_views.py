"""The SCIM endpoint (/scim/v2) and the admin page of its bearer tokens."""

import io
import json

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from learnpath.accounts import scim
from learnpath.extensions import csrf, db
from learnpath.web.access import public, roles_required
from learnpath.web.forms import ConfirmForm
from learnpath.web.i18n import lazy_text as _l

bp = Blueprint("scim", __name__)

METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


@bp.route("/scim/v2", defaults={"rest": ""}, methods=METHODS)
@bp.route("/scim/v2/<path:rest>", methods=METHODS)
@public
def endpoint(rest: str):
    """SCIM 2.0: the bearer token is checked by the SCIM application itself."""
    application = scim.application()
    environ = dict(request.environ)
    # The body may have been read already (the app's input checks): hand over the cached copy.
    body = request.get_data(cache=True)
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    environ["SCRIPT_NAME"] = request.script_root + "/scim"
    environ["PATH_INFO"] = "/v2" + ("/" + rest if rest else "")
    response = application.serve(application.read_request(environ))
    if response.status.value < 400:
        db.session.commit()
    else:
        db.session.rollback()
    body = b"" if response.body is None else json.dumps(response.body).encode()
    return Response(body, status=response.status.value, headers=dict(response.headers))


csrf.exempt(endpoint)


class TokenForm(FlaskForm):
    name = StringField(_l("Name of the client"), validators=[
        DataRequired(_l("Please enter a name.")),
        Length(max=80, message=_l("Please use at most %(max)d characters."))])


@bp.route("/admin/scim", methods=["GET", "POST"])
@roles_required("admin")
def tokens():
    """Create and revoke the bearer tokens of provisioning clients."""
    form = TokenForm()
    secret = None
    status = 200
    if form.validate_on_submit():
        _token, secret = scim.create_token(form.name.data, current_user)
        db.session.commit()
    elif request.method == "POST":
        status = 400
    return render_template("admin/scim.html", form=form, secret=secret,
                           tokens=scim.list_tokens(), confirm=ConfirmForm(),
                           scim_url=url_for("scim.endpoint", _external=True)), status


@bp.route("/admin/scim/<int:token_id>/revoke", methods=["POST"])
@roles_required("admin")
def revoke(token_id: int):
    token = db.session.get(scim.ScimToken, token_id)
    if token is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    scim.revoke_token(token, current_user)
    db.session.commit()
    flash(_("The token %(prefix)s… has been revoked.", prefix=token.prefix), "success")
    return redirect(url_for("scim.tokens"))
