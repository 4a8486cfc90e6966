"""perf: an index for the newest published modules of a language (module page, issue 9)

Revision ID: 0009_perf
Revises: 0008_xapi
Create Date: 2026-11-23 16:40:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0009_perf'
down_revision = '0008_xapi'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_modules_language_status_version', 'modules',
                    ['language', 'status', 'current_version_id'], unique=False)


def downgrade():
    op.drop_index('ix_modules_language_status_version', table_name='modules')
