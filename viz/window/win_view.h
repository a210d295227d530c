/* win_view.h -- the trainee's window (SDL2; the only part of dcsim that
 * sees SDL): it shows the player's frames (cairo draws them into the
 * window's texture), takes the keys and the mouse, and hands the
 * operator's actions to the live run. */
#ifndef WIN_VIEW_H
#define WIN_VIEW_H
#include "sc_player.h"

typedef struct win_options {
    int width, height;          /* the window's size at first */
    const char *snapshot_dir;   /* F12 writes the frame here as PNG */
    int fps;                    /* frames a second at most (60) */
    int (*interrupted)(void);   /* nonzero: a signal asks the window to close (NULL: none) */
} win_options;

/* Runs the window until it is closed (q, Esc at the top, the close
 * button). 0, or 1 when the window could not open (the reason on
 * stderr). */
int win_view_run(sc_player *p, const win_options *o);

#endif /* WIN_VIEW_H */
