from celery import shared_task

from chainparty import jobs


@shared_task
def run_job_task(job_id: int) -> bool:
    return jobs.run_job(job_id)


@shared_task
def requeue_jobs_task() -> dict[str, int]:
    return jobs.requeue_jobs()
