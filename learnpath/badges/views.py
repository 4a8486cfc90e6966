"""Public Open Badges endpoints: a certificate's credential (at its id URL) and the issuer."""

from flask import Blueprint, abort, jsonify, request

from learnpath.badges import openbadges
from learnpath.paths import enrolments as paths
from learnpath.web.access import public

bp = Blueprint("badges", __name__)


@bp.route("/certificates/<token>/badge.json")
@public
def credential(token: str):
    """The OpenBadgeCredential of a certificate; public like the certificate page itself."""
    cert = paths.certificate_by_token(token)
    if cert is None:
        abort(404)
    response = jsonify(openbadges.credential(cert))
    response.headers["Access-Control-Allow-Origin"] = "*"  # verifiers fetch it cross-origin
    if request.args.get("download"):
        response.headers["Content-Disposition"] = (
            f'attachment; filename="openbadge-{cert.path.slug}.json"')
    return response


@bp.route("/openbadges/issuer")
@public
def issuer():
    """The organisation's issuer Profile, referred to by every credential."""
    response = jsonify(openbadges.issuer_profile())
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
