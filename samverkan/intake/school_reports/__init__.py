"""School concern reports: an intake channel (SPEC §6, SoL 19 kap. 1 §).

A school's staff report concern for a pupil through the single-entry services
(`samverkan.intake.services`), routed by the pupil's registered district — not
the school's — with the same handover and deadlines. The pages keep their
address under /samverkan/skolor/orosanmalan/ (mounted by the collaboration
URLconf) and the API operation its path /api/v1/collaboration/school-reports.
"""
