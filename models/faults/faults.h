/* faults.h -- the scenario's faults in this stage: each target resolved
 * (world/target.h), each fault scheduled to start and to end, random
 * faults drawn by MTBF and MTTR, and each applied by its kind's function
 * of the fault kind table (format/mdl_kinds.h). Faults are ordinary
 * engine events; they change the world only through world/world_state.h
 * and the fields a fault owns, and tell their start (NOTE_FAULT). */
#ifndef FAULTS_H
#define FAULTS_H
#include "world.h"

/* Resolves and schedules every fault of the scenario. 0, or SIM_ENOMEM. */
int faults_init(w_world *w);
void faults_fini(w_world *w);

#endif /* FAULTS_H */
