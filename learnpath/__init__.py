"""learnpath: microlearning, growth paths and a privacy-first engagement indicator."""

from flask import Flask

from learnpath.factory import (
    freeze_startup_objects,
    instance_path,
    load_config,
    register_blueprints,
    register_commands,
    register_errorhandlers,
    register_extensions,
    register_features,
    register_security,
)


def create_app(config=None) -> Flask:
    """Create the application; `config` is a config class, a name or a mapping of overrides."""
    app = Flask(__name__, instance_path=instance_path())
    load_config(app, config)
    register_extensions(app)
    register_security(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_features(app)
    register_commands(app)
    freeze_startup_objects(app)
    return app
