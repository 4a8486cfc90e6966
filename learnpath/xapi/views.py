"""The admin status page of the xAPI outbox: queued, sent, last success and last error."""

from flask import Blueprint, current_app, render_template

from learnpath.web.access import roles_required
from learnpath.xapi import outbox

bp = Blueprint("xapi", __name__)


@bp.route("/")
@roles_required("admin")
def status():
    """How forwarding statements to the Learning Record Store is going."""
    try:
        endpoint = outbox.statements_url()
    except outbox.NotConfigured:
        endpoint = None
    return render_template("xapi/status.html", info=outbox.overview(), endpoint=endpoint,
                           batch_size=current_app.config.get("XAPI_BATCH_SIZE"),
                           rejected=outbox.rejected_rows())
