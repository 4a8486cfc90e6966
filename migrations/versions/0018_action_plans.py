"""action plans: a team's focus and actions after a closed month, and "did it help?" (issue 22)

Revision ID: 0018_action_plans
Revises: 0017_checkin_templates
Create Date: 2026-12-05 07:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018_action_plans'
down_revision = "0017_checkin_templates"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('action_plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('focus', sa.String(length=16), nullable=False),
    sa.Column('actions', sa.JSON(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('follow_up_on', sa.Date(), nullable=False),
    sa.Column('submit_token', sa.String(length=64), nullable=True),
    sa.CheckConstraint("focus IN ('rhythm', 'progress', 'voice', 'recognition', 'enps')", name=op.f('ck_action_plans_known_focus')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_action_plans_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_action_plans_team_id_teams'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_plans')),
    sa.UniqueConstraint('team_id', 'month', name='uq_action_plans_team_month')
    )
    with op.batch_alter_table('action_plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_plans_team_id'), ['team_id'], unique=False)

    op.create_table('action_plan_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('value IN (0, 1, 2)', name=op.f('ck_action_plan_answers_known_value')),
    sa.ForeignKeyConstraint(['plan_id'], ['action_plans.id'], name=op.f('fk_action_plan_answers_plan_id_action_plans'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_action_plan_answers_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_plan_answers')),
    sa.UniqueConstraint('plan_id', 'user_id', name='uq_action_plan_answers_plan_user')
    )
    with op.batch_alter_table('action_plan_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_plan_answers_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_plan_answers_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('action_plan_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_plan_answers_user_id'))
        batch_op.drop_index(batch_op.f('ix_action_plan_answers_plan_id'))

    op.drop_table('action_plan_answers')
    with op.batch_alter_table('action_plans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_plans_team_id'))

    op.drop_table('action_plans')
