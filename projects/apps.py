from __future__ import annotations

from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "Film projects"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_out

        from projects.live.sessions import close_sockets_on_logout

        user_logged_out.connect(close_sockets_on_logout, dispatch_uid="projects.close_sockets_on_logout")
        # Each stage registers its job kinds with the machine's registry; the script's settle task with Celery.
        from projects.animatic import jobs as animatic_jobs  # noqa: F401

        # Each stage registers its live page parts with the sockets' registry.
        from projects.animatic import parts as animatic_parts  # noqa: F401
        from projects.characters import jobs as character_jobs  # noqa: F401
        from projects.characters import parts as character_parts  # noqa: F401
        from projects.jobs import parts as job_parts  # noqa: F401
        from projects.script import jobs as script_jobs  # noqa: F401
        from projects.script import parts as script_parts  # noqa: F401
        from projects.script import tasks as script_tasks  # noqa: F401
        from projects.storyboard import jobs as storyboard_jobs  # noqa: F401
        from projects.storyboard import parts as storyboard_parts  # noqa: F401
        from projects.teams import parts as team_parts  # noqa: F401
