from __future__ import annotations

from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "Film projects"

    def ready(self) -> None:
        # Each stage registers its job kinds with the machine's registry; the script's settle task with Celery.
        from projects.animatic import jobs as animatic_jobs  # noqa: F401
        from projects.characters import jobs as character_jobs  # noqa: F401
        from projects.script import jobs as script_jobs  # noqa: F401
        from projects.script import tasks as script_tasks  # noqa: F401
        from projects.storyboard import jobs as storyboard_jobs  # noqa: F401
