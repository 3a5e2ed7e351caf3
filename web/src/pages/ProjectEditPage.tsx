export default function ProjectEditPage() {
  return <div className="page">ProjectEditPage</div>;
}
