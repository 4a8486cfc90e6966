"""engagement snapshots: primary teams, weekly aggregate rows; the figure cache and folds go

Every person in a team gets a primary team (their first member team by membership id).
Closed weeks are stored as aggregate rows (engagement_team_weeks, no user ids), which makes
the per-worker figure cache's generation counter and the erasure/retention folds unnecessary.

Revision ID: 0011_engagement_snapshots
Revises: 0010_engagement_cache
Create Date: 2026-12-04 16:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0011_engagement_snapshots'
down_revision = '0010_engagement_cache'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('primary_team_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_users_primary_team_id'), ['primary_team_id'],
                              unique=False)
        batch_op.create_foreign_key('fk_users_primary_team_id_teams', 'teams',
                                    ['primary_team_id'], ['id'], ondelete='SET NULL')
    op.execute(
        "UPDATE users SET primary_team_id = (SELECT m.team_id FROM team_memberships m "
        "WHERE m.user_id = users.id AND m.kind = 'member' ORDER BY m.id LIMIT 1)")
    op.create_table(
        'engagement_team_weeks',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('week', sa.String(length=10), nullable=False),
        sa.Column('week_start', sa.Date(), nullable=False),
        sa.Column('group_key', sa.Integer(), nullable=False),
        sa.Column('team_name', sa.String(length=120), nullable=False),
        sa.Column('members', sa.Integer(), nullable=False),
        sa.Column('contributors', sa.Integer(), nullable=False),
        sa.Column('indicator_sum', sa.Float(), nullable=False),
        sa.Column('rhythm_sum', sa.Float(), nullable=False),
        sa.Column('progress_sum', sa.Float(), nullable=False),
        sa.Column('progress_n', sa.Integer(), nullable=False),
        sa.Column('voice_sum', sa.Float(), nullable=False),
        sa.Column('voice_n', sa.Integer(), nullable=False),
        sa.Column('recognition_sum', sa.Float(), nullable=False),
        sa.Column('engaged', sa.Integer(), nullable=False),
        sa.Column('neutral', sa.Integer(), nullable=False),
        sa.Column('at_risk', sa.Integer(), nullable=False),
        sa.Column('learned', sa.Integer(), nullable=False),
        sa.Column('enps_month', sa.String(length=7), nullable=False),
        sa.Column('promoters', sa.Integer(), nullable=False),
        sa.Column('passives', sa.Integer(), nullable=False),
        sa.Column('detractors', sa.Integer(), nullable=False),
        sa.Column('closed_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_engagement_team_weeks')),
        sa.UniqueConstraint('week', 'group_key', name='uq_engagement_team_weeks_week_group'),
    )
    with op.batch_alter_table('engagement_team_weeks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_engagement_team_weeks_week_start'), ['week_start'],
                              unique=False)
    op.drop_table('engagement_generation')
    with op.batch_alter_table('engagement_folds', schema=None) as batch_op:
        batch_op.drop_index('ix_engagement_folds_period_team')
    op.drop_table('engagement_folds')


def downgrade():
    op.create_table(
        'engagement_folds',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=True),
        sa.Column('period', sa.String(length=10), nullable=False),
        sa.Column('reason', sa.String(length=10), nullable=False),
        *[sa.Column(name, sa.Integer(), nullable=False) for name in ('people',)],
        *[sa.Column(name, sa.Float(), nullable=False)
          for name in ('indicator_sum', 'rhythm_sum', 'progress_sum', 'voice_sum',
                       'recognition_sum')],
        *[sa.Column(name, sa.Integer(), nullable=False)
          for name in ('rhythm_n', 'progress_n', 'voice_n', 'recognition_n', 'engaged',
                       'neutral', 'at_risk', 'learned', 'promoter', 'passive', 'detractor')],
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['team_id'], ['teams.id'],
                                name=op.f('fk_engagement_folds_team_id_teams'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_engagement_folds')),
    )
    with op.batch_alter_table('engagement_folds', schema=None) as batch_op:
        batch_op.create_index('ix_engagement_folds_period_team', ['period', 'team_id'],
                              unique=False)
    table = op.create_table(
        'engagement_generation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('value', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_engagement_generation')),
    )
    op.bulk_insert(table, [{'id': 1, 'value': 0}])
    with op.batch_alter_table('engagement_team_weeks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_engagement_team_weeks_week_start'))
    op.drop_table('engagement_team_weeks')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint('fk_users_primary_team_id_teams', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_users_primary_team_id'))
        batch_op.drop_column('primary_team_id')
