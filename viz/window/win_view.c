/* win_view.c -- the window: SDL2 for the window, the keys and the mouse;
 * cairo draws each frame into an image that becomes the window's texture. */
#include "win_view.h"

#include <SDL.h>
#include <stdio.h>
#include <string.h>

#include "mdl_kinds.h"
#include "sim_status.h"
#include "vz_surface.h"

typedef struct win {
    SDL_Window *window;
    SDL_Renderer *renderer;
    SDL_Texture *texture;
    cairo_surface_t *surface;
    int w, h;
    sc_player *p;
    sc_layout layout;
    int dragging;               /* the timeline */
    int shed[16];               /* request types the trainee shed */
    int snapshots;
    const win_options *o;
} win;

static int resize(win *v, int w, int h)
{
    if (v->texture)
        SDL_DestroyTexture(v->texture);
    if (v->surface)
        cairo_surface_destroy(v->surface);
    v->w = w, v->h = h;
    /* ARGB8888 is cairo's ARGB32 on a little-endian machine, and SDL's
     * ARGB8888 names the same bytes on any: one copy per frame, no
     * conversion. */
    v->texture = SDL_CreateTexture(v->renderer, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STREAMING, w, h);
    v->surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
    return v->texture && cairo_surface_status(v->surface) == CAIRO_STATUS_SUCCESS ? 0 : -1;
}

static void draw(win *v)
{
    cairo_t *cr = cairo_create(v->surface);
    sc_player_draw(v->p, cr, v->w, v->h, &v->layout);
    cairo_destroy(cr);
    cairo_surface_flush(v->surface);
    SDL_UpdateTexture(v->texture, NULL, cairo_image_surface_get_data(v->surface),
                      cairo_image_surface_get_stride(v->surface));
    SDL_RenderCopy(v->renderer, v->texture, NULL, NULL);
    SDL_RenderPresent(v->renderer);
}

static void snapshot(win *v)
{
    char path[200];
    snprintf(path, sizeof path, "%.180s/view-%03d.png", v->o->snapshot_dir ? v->o->snapshot_dir : ".", v->snapshots++);
    sc_ui *ui = sc_player_ui(v->p);
    /* Beside it, the window's state, for a bug report or a test. */
    char state[220];
    snprintf(state, sizeof state, "%.*s.json", (int)(strlen(path) - 4), path);
    FILE *f = fopen(state, "w");
    if (f) {
        fprintf(f,
                "{\"t\": %.3f, \"edge\": %.3f, \"speed\": %g, \"paused\": %d, \"focus\": [%d, %d], "
                "\"select\": [%d, %d], \"help\": %d, \"compare\": %d, \"operator\": %d, \"size\": [%d, %d]}\n",
                sim_time_to_seconds(sc_player_time(v->p)), sim_time_to_seconds(sc_player_edge(v->p)), ui->speed,
                ui->paused, ui->focus_kind, ui->focus_index, ui->select_kind, ui->select_index, ui->help,
                ui->result_text != NULL, ui->operator_seat, v->w, v->h);
        fclose(f);
    }
    if (cairo_surface_write_to_png(v->surface, path) == CAIRO_STATUS_SUCCESS)
        snprintf(ui->status, sizeof ui->status, "frame written to %s", path);
    else
        snprintf(ui->status, sizeof ui->status, "could not write %s", path);
    fprintf(stderr, "dcsim: %s\n", ui->status);
}

/* ==== The operator's keys: act on what is selected ==== */

/* The name of what is selected, when it is of the kind the act wants
 * (a cell stands for its unit). */
static const char *selected_name(win *v, int want, char *buf, size_t size)
{
    sc_ui *ui = sc_player_ui(v->p);
    int kind = ui->select_kind;
    if (kind == VZ_HIT_CELL && want == VZ_HIT_UNIT)
        kind = VZ_HIT_UNIT;
    if (kind != want || sc_player_name_of(v->p, ui->select_kind, ui->select_index, buf, size, NULL))
        return NULL;
    return buf;
}

static void operator_key(win *v, SDL_Keycode k)
{
    sc_ui *ui = sc_player_ui(v->p);
    if (!ui->operator_seat) {
        sc_player_say(v->p, "actions are for the operator's seat: dcsim view --operator");
        return;
    }
    char name[128];
    int want = k == SDLK_s || k == SDLK_f ? VZ_HIT_UNIT : k == SDLK_p ? VZ_HIT_GROUP : VZ_HIT_DC;
    int kind = k == SDLK_s   ? ACTION_SWITCH_UNIT
               : k == SDLK_f ? ACTION_FAILBACK
               : k == SDLK_p ? ACTION_PROMOTE
               : k == SDLK_d ? ACTION_DRAIN
                             : ACTION_UNDRAIN;
    if (!selected_name(v, want, name, sizeof name)) {
        sc_player_say(v->p, want == VZ_HIT_UNIT    ? "select a unit's cell first (click it)"
                            : want == VZ_HIT_GROUP ? "select a database copy first (click it)"
                                                   : "select a datacenter first (click it)");
        return;
    }
    sc_player_act(v->p, kind, name);
}

static void shed_key(win *v, int type)
{
    sc_ui *ui = sc_player_ui(v->p);
    mdl_world *w = sc_player_world(v->p);
    if (!ui->operator_seat || !w || type >= mdl_world_types(w) || type >= 16)
        return;
    v->shed[type] = !v->shed[type];
    sc_player_act(v->p, v->shed[type] ? ACTION_DEGRADE : ACTION_RESTORE, mdl_world_type(w, type));
}

/* ==== Keys and mouse ==== */

static int on_key(win *v, const SDL_KeyboardEvent *e)
{
    sc_ui *ui = sc_player_ui(v->p);
    SDL_Keycode k = e->keysym.sym;
    int shift = (e->keysym.mod & KMOD_SHIFT) != 0;
    sim_time t = sc_player_time(v->p);
    switch (k) {
    case SDLK_q: return 1;
    case SDLK_SPACE: sc_player_set_speed(v->p, ui->speed, !ui->paused); break;
    case SDLK_PLUS: case SDLK_EQUALS: case SDLK_KP_PLUS: /* doubling, through 1x exactly */
        sc_player_set_speed(v->p, ui->speed < 1 && ui->speed * 2 > 1 ? 1 : ui->speed * 2, ui->paused);
        break;
    case SDLK_MINUS: case SDLK_KP_MINUS: sc_player_set_speed(v->p, ui->speed / 2, ui->paused); break;
    case SDLK_PERIOD:
        if (shift)
            sc_player_step_frame(v->p);
        else
            sc_player_seek(v->p, t + SIM_SEC);
        break;
    case SDLK_COMMA: sc_player_seek(v->p, t - SIM_SEC); break;
    case SDLK_n: sc_player_jump(v->p, 1); break;
    case SDLK_b: sc_player_jump(v->p, -1); break;
    case SDLK_HOME: sc_player_seek(v->p, 0); break;
    case SDLK_END: sc_player_seek(v->p, sc_player_edge(v->p)); break;
    case SDLK_h: ui->help = !ui->help; break;
    case SDLK_c:
        if (ui->on_compare)
            ui->on_compare(ui->compare_context);
        else
            sc_player_say(v->p, "the comparison is the operator's seat's: dcsim view --operator");
        break;
    case SDLK_F12: snapshot(v); break;
    case SDLK_ESCAPE: case SDLK_BACKSPACE:
        if (ui->result_text && ui->on_compare)
            ui->on_compare(ui->compare_context); /* hides it */
        else if (ui->help)
            ui->help = 0;
        else if (ui->focus_kind == VZ_HIT_DC) {
            char name[128];
            int city = 0;
            if (!sc_player_name_of(v->p, VZ_HIT_DC, ui->focus_index, name, sizeof name, &city)) {
                ui->focus_kind = VZ_HIT_CITY;
                ui->focus_index = city;
            }
        } else
            ui->focus_kind = VZ_HIT_NONE;
        ui->select_kind = VZ_HIT_NONE;
        break;
    case SDLK_s: case SDLK_f: case SDLK_p: case SDLK_d: case SDLK_u: operator_key(v, k); break;
    case SDLK_r:
        if (ui->operator_seat)
            sc_player_act(v->p, ACTION_ROLLBACK, "");
        break;
    default:
        if (k >= SDLK_1 && k <= SDLK_9)
            shed_key(v, (int)(k - SDLK_1));
        break;
    }
    return 0;
}

static void on_click(win *v, int x, int y)
{
    sc_ui *ui = sc_player_ui(v->p);
    const sc_layout *L = &v->layout;
    if (y >= L->timeline_y - 4 && y <= L->timeline_y + L->timeline_h + 4 && x >= L->timeline_x &&
        x <= L->timeline_x + L->timeline_w) {
        v->dragging = 1;
        sc_player_seek(v->p, sc_timeline_time(L, x));
        return;
    }
    const vz_hit *h = vz_hits_at(&L->hits, x, y);
    if (!h) {
        ui->select_kind = VZ_HIT_NONE;
        return;
    }
    /* A second click on a selected city or datacenter looks inside. */
    if ((h->kind == VZ_HIT_CITY || h->kind == VZ_HIT_DC) && ui->select_kind == h->kind &&
        ui->select_index == h->index) {
        ui->focus_kind = h->kind;
        ui->focus_index = h->index;
    }
    ui->select_kind = h->kind;
    ui->select_index = h->index;
}

static void on_motion(win *v, int x, int y)
{
    sc_ui *ui = sc_player_ui(v->p);
    if (v->dragging) {
        sc_player_seek(v->p, sc_timeline_time(&v->layout, x));
        return;
    }
    const vz_hit *h = vz_hits_at(&v->layout.hits, x, y);
    ui->hover_kind = h ? h->kind : VZ_HIT_NONE;
    ui->hover_index = h ? h->index : 0;
}

int win_view_run(sc_player *p, const win_options *o)
{
    if (SDL_Init(SDL_INIT_VIDEO)) {
        fprintf(stderr, "dcsim: cannot open a window: %s (use --frames DIR to draw without a display)\n", SDL_GetError());
        return 1;
    }
    win v = {0};
    v.p = p;
    v.o = o;
    char title[256];
    const mdl_film_info *about = mdl_film_about(sc_player_film(p));
    snprintf(title, sizeof title, "dcsim view: %s, %s", about->scenario, about->stage);
    v.window = SDL_CreateWindow(title, SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, o->width, o->height,
                                SDL_WINDOW_RESIZABLE);
    if (v.window)
        v.renderer = SDL_CreateRenderer(v.window, -1, 0);
    if (!v.window || !v.renderer || resize(&v, o->width, o->height)) {
        fprintf(stderr, "dcsim: cannot open a window: %s\n", SDL_GetError());
        if (v.window)
            SDL_DestroyWindow(v.window);
        SDL_Quit();
        return 1;
    }
    Uint64 freq = SDL_GetPerformanceFrequency(), last = SDL_GetPerformanceCounter();
    double frame = 1.0 / (o->fps > 0 ? o->fps : 60);
    int quit = 0;
    while (!quit) {
        SDL_Event e;
        while (SDL_PollEvent(&e)) {
            if (e.type == SDL_QUIT)
                quit = 1;
            else if (e.type == SDL_KEYDOWN)
                quit |= on_key(&v, &e.key);
            else if (e.type == SDL_MOUSEBUTTONDOWN && e.button.button == SDL_BUTTON_LEFT)
                on_click(&v, e.button.x, e.button.y);
            else if (e.type == SDL_MOUSEBUTTONUP)
                v.dragging = 0;
            else if (e.type == SDL_MOUSEMOTION)
                on_motion(&v, e.motion.x, e.motion.y);
            else if (e.type == SDL_WINDOWEVENT && e.window.event == SDL_WINDOWEVENT_SIZE_CHANGED)
                resize(&v, e.window.data1, e.window.data2);
        }
        if (o->interrupted && o->interrupted()) /* SIGINT, SIGTERM */
            quit = 1;
        Uint64 now = SDL_GetPerformanceCounter();
        double dt = (double)(now - last) / (double)freq;
        last = now;
        sc_player_tick(p, dt);
        draw(&v);
        double spent = (double)(SDL_GetPerformanceCounter() - now) / (double)freq;
        if (spent < frame)
            SDL_Delay((Uint32)((frame - spent) * 1000));
    }
    cairo_surface_destroy(v.surface);
    SDL_DestroyTexture(v.texture);
    SDL_DestroyRenderer(v.renderer);
    SDL_DestroyWindow(v.window);
    SDL_Quit();
    return 0;
}
