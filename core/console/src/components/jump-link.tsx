import type { ComponentChildren } from 'preact';

/**
 * A link to an element on the same page. The hash holds the route (#/cases/…), so a plain #anchor would
 * navigate away; this moves focus and scroll instead.
 */
export function JumpLink({ to, children, class: cls }: { to: string; children: ComponentChildren; class?: string }) {
  const jump = (e: Event) => {
    e.preventDefault();
    const el = document.getElementById(to);
    if (!el) return;
    el.scrollIntoView({ block: 'nearest' });
    el.focus({ preventScroll: true });
  };
  return (
    <a href={location.hash} class={cls} onClick={jump}>
      {children}
    </a>
  );
}
