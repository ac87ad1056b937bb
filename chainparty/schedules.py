"""Every periodic job, in one table. `manage.py setup_schedules` writes it into django-celery-beat's
tables (idempotently), where staff can then pause or re-time a job in the admin. Each job is also a
management command, so cron or an operator can run it by hand (design §6)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Schedule:
    name: str
    task: str
    # crontab fields, in Asia/Shanghai
    minute: str = "*"
    hour: str = "*"
    day_of_week: str = "*"
    day_of_month: str = "*"
    month_of_year: str = "*"


SCHEDULES = [
    Schedule("问题期限巡检 issue deadline sweep", "issues.tasks.sweep_deadlines_task"),
    Schedule("导入导出任务补发 requeue import/export jobs", "chainparty.tasks.requeue_jobs_task"),
    Schedule("清理暂存附件 purge staged uploads", "issues.tasks.purge_staged_uploads_task", minute="23"),
    Schedule(
        "换届提醒 party-organization term reminders",
        "partyorgs.tasks.sweep_term_reminders_task",
        minute="5",
        hour="8",
    ),
    Schedule(
        "季度专题会议排期 quarterly chain meetings",
        "meetings.tasks.schedule_quarterly_meetings_task",
        minute="5",
        hour="6",
    ),
    Schedule("会议提醒 meeting reminders", "meetings.tasks.send_meeting_reminders_task", minute="*/15"),
    Schedule(
        "派驻期满提醒 posting end-of-term reminders", "secretaries.tasks.remind_postings_task", minute="5", hour="8"
    ),
    Schedule(
        "清理过期会话 clear expired sessions", "accounts.tasks.clear_expired_sessions_task", minute="17", hour="3"
    ),
]
