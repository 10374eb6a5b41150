import { Booking } from './booking';

// A server component: the page is rendered on the server (and prerendered at build time);
// the widget inside it is a client component.
export default function Page() {
  return (
    <main style={{ width: '1100px' }}>
      <h1>Book a call</h1>
      <Booking />
    </main>
  );
}
