/* Iterator macros as the kernel writes them: without braces, in brace-less branches, and closing a do. */
#include <linux/list.h>

static void set_skip_buddy(struct sched_entity *se)
{
	for_each_sched_entity(se)
		cfs_rq_of(se)->skip = se;
}

static int count_ready(struct list_head *head, const struct cpumask *mask)
{
	struct item *pos;
	int cpu, ready = 0;

	if (!head)
		list_for_each_entry(pos, head, node)
			if (pos->ready)
				ready++;
	else
		for_each_cpu(cpu, mask)
			for_each_item(pos, cpu)
				ready += pos->ready;
	return ready;
}

static void wake_all(struct task_struct *leader)
{
	struct task_struct *task = leader;

	do {
		wake_up_process(task);
	} while_each_thread(leader, task);
}

static void check_preempt_wakeup(struct rq *rq, struct task_struct *p)
{
	if (rq->curr != p)
		resched_curr(rq);
}
